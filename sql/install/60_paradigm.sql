
-- ---------------------------------------------------------------------
-- Choosing the paradigm: probability, behavior or project.  See doc/paradigm.md.
-- ---------------------------------------------------------------------

-- Thresholds (documented in doc/paradigm.md; the data-driven fit views of
-- the bindings feed their own proxies through this same function):
--   project      solution_standardization < 0.4 or need_explicitness < 0.4
--                (bespoke package, or a goal without a known path)
--   probability  otherwise, when potential_customers >= 1000,
--                need_explicitness >= 0.6 and solution_standardization >= 0.7
--                (many customers, explicit need, standard product)
--   behavior     everything else (a limited, known target list and a
--                semi-standard solution for an explicit problem)
CREATE FUNCTION salesplan.recommend_paradigm(potential_customers bigint,
                                             need_explicitness double precision,
                                             solution_standardization double precision)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF potential_customers < 0 THEN
        RAISE EXCEPTION 'potential_customers must not be negative: %', potential_customers
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF need_explicitness = 'NaN'::float8 OR need_explicitness < 0 OR need_explicitness > 1 THEN
        RAISE EXCEPTION 'need_explicitness must be a score in [0, 1]: %', need_explicitness
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Score 0 for a need the customer cannot state, 1 for a need stated in a purchase request.';
    END IF;
    IF solution_standardization = 'NaN'::float8 OR solution_standardization < 0
       OR solution_standardization > 1 THEN
        RAISE EXCEPTION 'solution_standardization must be a score in [0, 1]: %', solution_standardization
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Score 0 for a bespoke package (consulting, custom development), 1 for an off-the-shelf product.';
    END IF;

    IF solution_standardization < 0.4 OR need_explicitness < 0.4 THEN
        RETURN 'project';
    END IF;
    IF potential_customers >= 1000 AND need_explicitness >= 0.6
       AND solution_standardization >= 0.7 THEN
        RETURN 'probability';
    END IF;
    RETURN 'behavior';
END
$fn$;
COMMENT ON FUNCTION salesplan.recommend_paradigm(bigint, double precision, double precision) IS
    'which paradigm to break a target down with: project (standardization or need explicitness < 0.4), probability (>= 1000 potential customers, need >= 0.6, standardization >= 0.7), else behavior';
