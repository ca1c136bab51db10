import java.sql.*;

/*
 * What pgjdbc reports to a BI tool (test/bi.sh): for each relation named on
 * the command line (schema.name), one line per column from
 * DatabaseMetaData.getColumns, the relation's own line from getTables, and
 * then the result-set metadata and Java classes of "SELECT * FROM it".
 * Tab-separated; NULL prints as \N.
 */
public class BiMeta {
    static String s(Object o) { return o == null ? "\\N" : o.toString(); }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData md = c.getMetaData();
            for (int i = 1; i < args.length; i++) {
                String schema = args[i].substring(0, args[i].indexOf('.'));
                String name = args[i].substring(args[i].indexOf('.') + 1);
                try (ResultSet r = md.getTables(null, schema, name, null)) {
                    while (r.next())
                        System.out.println(String.join("\t", "table", schema, name,
                                s(r.getString("TABLE_TYPE")), s(r.getString("REMARKS"))));
                }
                try (ResultSet r = md.getTables(null, schema, name, new String[] {"TABLE", "VIEW"})) {
                    System.out.println(String.join("\t", "table_or_view", schema, name, r.next() ? "listed" : "not listed"));
                }
                try (ResultSet r = md.getColumns(null, schema, name, "%")) {
                    while (r.next())
                        System.out.println(String.join("\t", "column", schema, name,
                                r.getString("COLUMN_NAME"), r.getString("TYPE_NAME"),
                                JDBCType.valueOf(r.getInt("DATA_TYPE")).getName(),
                                s(r.getObject("COLUMN_SIZE")), s(r.getObject("DECIMAL_DIGITS")),
                                s(r.getString("REMARKS"))));
                }
                try (Statement st = c.createStatement();
                     ResultSet r = st.executeQuery("SELECT * FROM " + args[i] + " ORDER BY 1")) {
                    ResultSetMetaData m = r.getMetaData();
                    for (int k = 1; k <= m.getColumnCount(); k++)
                        System.out.println(String.join("\t", "result", schema, name, m.getColumnLabel(k),
                                JDBCType.valueOf(m.getColumnType(k)).getName(),
                                Integer.toString(m.getPrecision(k)), Integer.toString(m.getScale(k)),
                                m.getColumnClassName(k)));
                    int row = 0;
                    while (r.next()) {
                        row++;
                        for (int k = 1; k <= m.getColumnCount(); k++) {
                            Object o = r.getObject(k);
                            System.out.println(String.join("\t", "value", schema, name, Integer.toString(row),
                                    m.getColumnLabel(k), o == null ? "\\N" : o.getClass().getName(), s(o)));
                        }
                    }
                }
            }
        }
    }
}
