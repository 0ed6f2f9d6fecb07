package io.tradestore.bench.start;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Flyway's side of the comparison: {@code FlywayVerb info|validate|migrate JDBC-URL DIR}, one verb per process, as
 * Flyway's own command line would run it. It is started on a class path of flyway-core and sqlite-jdbc alone plus
 * this class, so Flyway's start pays for nothing of tradestore's; for that it has no nested class.
 */
public final class FlywayVerb {
  private FlywayVerb() { }

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: FlywayVerb info|validate|migrate JDBC-URL DIR");
      System.exit(2);
    }
    Flyway flyway = Flyway.configure().dataSource(args[1], null, null).locations("filesystem:" + args[2]).load();
    switch (args[0]) {
      case "info" -> {
        int applied = 0;
        int pending = 0;
        for (MigrationInfo migration : flyway.info().all()) {
          if (migration.getState().isApplied()) {
            applied++;
          } else {
            pending++;
          }
        }
        System.out.println("applied " + applied + " pending " + pending);
      }
      case "validate" -> {
        ValidateResult result = flyway.validateWithResult();
        System.out.println(result.validationSuccessful ? "valid" : "invalid " + result.getAllErrorMessages());
        System.exit(result.validationSuccessful ? 0 : 1);
      }
      case "migrate" -> {
        MigrateResult result = flyway.migrate();
        System.out.println("executed " + result.migrationsExecuted);
      }
      default -> {
        System.err.println("unknown verb " + args[0]);
        System.exit(2);
      }
    }
  }
}
