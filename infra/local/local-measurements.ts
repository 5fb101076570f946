import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import {
  FACT_COLUMNS,
  type FactColumnType,
  type LifecycleFact,
  lifecycleFactSchema,
} from "../../functions/core/measurement/lifecycle-facts.ts";
import { type MeasurementQuery, measurementQueries } from "../../functions/core/measurement/queries.ts";
import {
  type JourneyMeasurements,
  journeyMeasurements,
  type MeasurementRows,
} from "../../functions/core/measurement/report.ts";
import type { FactSink } from "../../functions/ports/fact-sink.ts";

/** The facts table, as the Glue table holds it in AWS, in DuckDB's types. */
const DUCKDB_TYPES = { string: "VARCHAR", int: "INTEGER", bigint: "BIGINT" } as const;
const COLUMNS = (Object.entries(FACT_COLUMNS) as [keyof LifecycleFact, FactColumnType][]).map(
  ([name, type]) => [name, DUCKDB_TYPES[type]] as const,
);

const FACTS_FILE = "facts.jsonl";

/**
 * The local runtime's measurements: every lifecycle fact the engine records, in DuckDB (`@duckdb/node-api`),
 * queried with the very SQL the stack saves as Athena named queries (functions/core/measurement/queries.ts).
 * With `--data` the facts are also appended to `facts.jsonl` and read back at start.
 */
export class LocalMeasurements implements FactSink {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #file: string | undefined;
  /**
   * Facts put since the last query. An appender per put cost a tenth of the local runtime's CPU per input;
   * appended in one go before a query reads, the table holds the same rows when it is read.
   */
  #unappended: LifecycleFact[] = [];

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, file: string | undefined) {
    this.#instance = instance;
    this.#connection = connection;
    this.#file = file;
  }

  static async open(dataDir?: string): Promise<LocalMeasurements> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE facts (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")})`,
    );
    const measurements = new LocalMeasurements(
      instance,
      connection,
      dataDir ? join(dataDir, FACTS_FILE) : undefined,
    );
    if (measurements.#file && existsSync(measurements.#file)) {
      const kept = readFileSync(measurements.#file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => lifecycleFactSchema.parse(JSON.parse(line)));
      await measurements.#append(kept);
    }
    return measurements;
  }

  async put(facts: readonly LifecycleFact[]): Promise<void> {
    if (facts.length === 0) return;
    this.#unappended.push(...facts);
    if (this.#file) appendFileSync(this.#file, facts.map((fact) => `${JSON.stringify(fact)}\n`).join(""));
  }

  #appending: Promise<void> = Promise.resolve();

  /** Appends what was put; a reader awaits every append begun before it, its own included. */
  #appendUnappended(): Promise<void> {
    const facts = this.#unappended;
    this.#unappended = [];
    if (facts.length > 0) this.#appending = this.#appending.then(() => this.#append(facts));
    return this.#appending;
  }

  async #append(facts: readonly LifecycleFact[]): Promise<void> {
    const appender = await this.#connection.createAppender("facts");
    for (const fact of facts) {
      for (const [name, type] of COLUMNS) {
        const value = fact[name];
        if (value === null || value === undefined) appender.appendNull();
        else if (type === "VARCHAR") appender.appendVarchar(String(value));
        else if (type === "BIGINT") appender.appendBigInt(BigInt(value as number));
        else appender.appendInteger(value as number);
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  /** The rows of one query, numbers as numbers. */
  async rows(query: MeasurementQuery): Promise<Record<string, unknown>[]> {
    await this.#appendUnappended();
    const reader = await this.#connection.runAndReadAll(query.sql("facts"));
    return reader
      .getRowObjects()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [key, typeof value === "bigint" ? Number(value) : value]),
        ),
      );
  }

  /** Every query's rows (what `journeyMeasurements` reads). */
  async allRows(): Promise<MeasurementRows> {
    await this.#appendUnappended();
    const entries = await Promise.all(
      measurementQueries.map(async (query) => [query.name, await this.rows(query)] as const),
    );
    return Object.fromEntries(entries) as unknown as MeasurementRows;
  }

  /** `GET /analytics/journeys/{id}`: the journey's numbers, per version. */
  async journey(journeyId: string, catalog: Catalog): Promise<JourneyMeasurements> {
    return journeyMeasurements(journeyId, await this.allRows(), catalog.journeys);
  }

  async count(): Promise<number> {
    await this.#appendUnappended();
    const reader = await this.#connection.runAndReadAll("SELECT COUNT(DISTINCT factId) AS n FROM facts");
    return Number(reader.getRowObjects()[0]!.n);
  }

  async reset(): Promise<void> {
    this.#unappended = [];
    await this.#connection.run("DELETE FROM facts");
    if (this.#file) rmSync(this.#file, { force: true });
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}
