package io.framekeep.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Backend-independent JDBC statement helpers, shared by the embedded (SQLite) and cluster (PostgreSQL) catalogs:
 * prepare, bind, run, map. They run inside a transaction the caller already holds and neither commit nor roll
 * back; statements and result sets are closed before they return.
 */
public final class JdbcStatements {

  private JdbcStatements() {}

  /** Binds parameters to a statement. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Runs a query on {@code connection} and maps every row, in the order the database returns them. */
  public static <T> List<T> query(Connection connection, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      List<T> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
      }
      return result;
    }
  }

  /** Runs an update on {@code connection}; returns the affected row count. */
  public static int update(Connection connection, String sql, Binder binder) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    }
  }
}
