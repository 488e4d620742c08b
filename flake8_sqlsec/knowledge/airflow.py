"""Apache Airflow: the SQL hooks (``DbApiHook`` and the providers' subclasses) and the SQL
operators, whose ``sql`` is run against the connection.

A hook class is known by its name under the modules that define hooks (the providers
move between packages from one release to the next; the class names stay).
"""

from __future__ import annotations

# Where hook classes live: ``airflow.providers.<provider>.hooks.<module>.<Class>`` and the
# pre-2.0 ``airflow.hooks.<module>.<Class>``.
HOOK_MODULE_PREFIXES = ("airflow.providers.", "airflow.hooks.", "airflow.contrib.hooks.")

# The hooks that derive from ``DbApiHook`` (their methods take SQL text).
SQL_HOOK_CLASSES = frozenset(
    (
        "DbApiHook",
        "PostgresHook",
        "MySqlHook",
        "SqliteHook",
        "OracleHook",
        "MsSqlHook",
        "SnowflakeHook",
        "TrinoHook",
        "PrestoHook",
        "DatabricksSqlHook",
        "RedshiftSQLHook",
        "VerticaHook",
        "ExasolHook",
        "JdbcHook",
        "OdbcHook",
        "DruidDbApiHook",
        "ImpalaHook",
        "HiveServer2Hook",
        "TeradataHook",
        "PinotDbApiHook",
        "BigQueryHook",
        "AthenaSQLHook",
        "ElasticsearchSQLHook",
        "YDBHook",
    )
)

# The hooks' methods that run their first argument (or ``sql=``).
SQL_HOOK_METHODS = (
    "run",
    "get_records",
    "get_first",
    "get_pandas_df",
    "get_pandas_df_by_chunks",
    "get_df",
    "get_df_by_chunks",
)

# Operators whose ``sql=`` is run (templated text: Jinja fills it before it runs).
SQL_OPERATORS = (
    "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator",
    "airflow.providers.common.sql.operators.sql.SQLCheckOperator",
    "airflow.providers.common.sql.operators.sql.SQLValueCheckOperator",
    "airflow.providers.common.sql.operators.sql.SQLThresholdCheckOperator",
    "airflow.providers.common.sql.operators.sql.BranchSQLOperator",
    "airflow.providers.common.sql.sensors.sql.SqlSensor",
    "airflow.providers.postgres.operators.postgres.PostgresOperator",
    "airflow.providers.mysql.operators.mysql.MySqlOperator",
    "airflow.providers.sqlite.operators.sqlite.SqliteOperator",
    "airflow.providers.oracle.operators.oracle.OracleOperator",
    "airflow.providers.microsoft.mssql.operators.mssql.MsSqlOperator",
    "airflow.providers.snowflake.operators.snowflake.SnowflakeOperator",
    "airflow.providers.snowflake.operators.snowflake.SnowflakeSqlApiOperator",
    "airflow.providers.trino.operators.trino.TrinoOperator",
    "airflow.providers.vertica.operators.vertica.VerticaOperator",
    "airflow.providers.databricks.operators.databricks_sql.DatabricksSqlOperator",
    "airflow.providers.amazon.aws.operators.redshift_sql.RedshiftSQLOperator",
    "airflow.operators.postgres_operator.PostgresOperator",
    "airflow.operators.mysql_operator.MySqlOperator",
    "airflow.operators.sqlite_operator.SqliteOperator",
    "airflow.sensors.sql_sensor.SqlSensor",
)

# Operators and sensors are built in DAG files, which Airflow's security model trusts as
# code: their constructors' arguments are the DAG author's configuration, never what a
# client sent. A class is one when an ancestor imported from Airflow is named so.
OPERATOR_PACKAGE = "airflow."
OPERATOR_CLASS_SUFFIXES = ("Operator", "Sensor")
OPERATOR_CONFIGURED_METHODS = frozenset(("__init__",))
