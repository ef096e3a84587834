package io.framekeep.storage.cluster;

import io.framekeep.storage.JdbcStatements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Statement helpers for work inside a {@link ClusterDatabase} transaction. */
final class Sql {

  /** SQLSTATE unique_violation. */
  static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  /** Binds parameters to a statement (the shared {@link io.framekeep.storage.JdbcStatements.Binder}). */
  @FunctionalInterface
  interface Binder extends JdbcStatements.Binder {}

  /** Maps the current row of a result set (the shared {@link io.framekeep.storage.JdbcStatements.RowMapper}). */
  @FunctionalInterface
  interface RowMapper<T> extends JdbcStatements.RowMapper<T> {}

  static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
    return JdbcStatements.query(c, sql, binder, mapper);
  }

  static int update(Connection c, String sql, Binder binder) throws SQLException {
    return JdbcStatements.update(c, sql, binder);
  }

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }
}
