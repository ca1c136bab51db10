#!/usr/bin/env bash
# Sourced helpers: Debian source packages for the test legs that build a
# server (test/cassert.sh).

# ensure_deb_src: make "apt-get source" work.  When no deb-src entry exists,
# writes /etc/apt/sources.list.d/salesplan-deb-src.{sources,list} mirroring
# the machine's own binary entries for this release (codename, -updates,
# -security), so that no host is hard-coded, then runs apt-get update.
# Needs root unless deb-src entries are already there.
ensure_deb_src() {
    local codename out
    case $(apt-cache showsrc postgresql-common 2>/dev/null || true) in
    *Package:*) return 0 ;;
    esac
    if [ "$(id -u)" -ne 0 ]; then
        echo "salesplan: no deb-src entries in the apt sources and not root to add them" >&2
        return 1
    fi
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:?}")
    out=/etc/apt/sources.list.d/salesplan-deb-src
    rm -f "$out.sources" "$out.list"

    # deb822 files: copy each stanza whose Types include "deb" and whose
    # suites are all this release's, with Types set to deb-src.
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v codename="$codename" '
            function flush(   i, ok, n, s) {
                if (nlines == 0) return
                ok = (types ~ /(^|[ \t])deb([ \t]|$)/) && (types !~ /deb-src/) && suites != "" && enabled != "no"
                n = split(suites, s, /[ \t]+/)
                for (i = 1; i <= n; i++)
                    if (s[i] != "" && s[i] != codename && index(s[i], codename "-") != 1) ok = 0
                if (ok) {
                    for (i = 1; i <= nlines; i++) print lines[i]
                    print ""
                }
                nlines = 0; types = ""; suites = ""; enabled = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^#/ { next }
            {
                line = $0
                if (tolower($1) == "types:") { types = substr($0, index($0, ":") + 1); line = "Types: deb-src" }
                else if (tolower($1) == "suites:") suites = substr($0, index($0, ":") + 1)
                else if (tolower($1) == "enabled:") enabled = tolower($2)
                lines[++nlines] = line
            }
            END { flush() }
        ' "$f" >>"$out.sources"
    done
    [ -s "$out.sources" ] || rm -f "$out.sources"

    # one-line format: "deb [opts] URI SUITE COMPONENTS..." for this release.
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v codename="$codename" '
            $1 == "deb" {
                i = 2
                if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                suite = $(i + 1)
                if (suite == codename || index(suite, codename "-") == 1) { sub(/^deb/, "deb-src"); print }
            }
        ' "$f" >>"$out.list"
    done
    [ -s "$out.list" ] || rm -f "$out.list"

    if [ ! -f "$out.sources" ] && [ ! -f "$out.list" ]; then
        echo "salesplan: no apt source for $codename to derive deb-src entries from" >&2
        return 1
    fi
    echo "salesplan: added deb-src entries ($(ls "$out".* | tr '\n' ' '))"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
}

# source_versions PKG [PREFERRED]: the versions of source package PKG that
# apt knows, PREFERRED first (when known), then newest first.
source_versions() {
    local all
    all=$(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -rV | uniq)
    {
        if [ -n "${2:-}" ] && grep -qxF -- "$2" <<<"$all"; then echo "$2"; fi
        grep -vxF -- "${2:-}" <<<"$all" || true
    }
}

# fetch_source PKG VERSION DIR: downloads source package PKG=VERSION into
# DIR, unpacks its upstream source without Debian's patches (they only move
# install paths into Debian's per-version directories, which a private
# prefix must not touch) into DIR/src, and prints that directory.  Fails
# when apt cannot download it (a mirror may serve binary packages but not
# every source version).
fetch_source() {
    local pkg=$1 version=$2 dir=$3 dsc
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && apt-get source --download-only -qq "$pkg=$version" >"$dir/apt-source.log" 2>&1) || return 1
    dsc=$(ls "$dir"/*.dsc 2>/dev/null | sed -n 1p)
    [ -n "$dsc" ] || return 1
    dpkg-source --skip-patches -x "$dsc" "$dir/src" >>"$dir/apt-source.log" 2>&1 || {
        cat "$dir/apt-source.log" >&2
        return 1
    }
    echo "$dir/src"
}
