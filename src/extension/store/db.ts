/**
 * A thin layer over a sql.js Database: cached prepared statements, rows as value arrays, and transactions that nest
 * through savepoints. Everything is synchronous: it runs inside the store's worker.
 */
import type { Database, SqlValue, Statement } from 'sql.js';

export type { SqlValue };
export type Row = SqlValue[];

export class Db {
  private readonly statements = new Map<string, Statement>();
  private depth = 0;

  constructor(readonly raw: Database) {}

  /** Runs one or more statements without parameters (DDL, pragmas). */
  exec(sql: string): void {
    this.raw.exec(sql);
  }

  run(sql: string, params: readonly SqlValue[] = []): void {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params as SqlValue[]);
      stmt.step();
    } finally {
      stmt.reset();
    }
  }

  all(sql: string, params: readonly SqlValue[] = []): Row[] {
    const rows: Row[] = [];
    this.each(sql, params, (row) => rows.push(row));
    return rows;
  }

  first(sql: string, params: readonly SqlValue[] = []): Row | undefined {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params as SqlValue[]);
      return stmt.step() ? stmt.get() : undefined;
    } finally {
      stmt.reset();
    }
  }

  each(sql: string, params: readonly SqlValue[], onRow: (row: Row) => void): void {
    const stmt = this.statement(sql);
    try {
      stmt.bind(params as SqlValue[]);
      while (stmt.step()) onRow(stmt.get());
    } finally {
      stmt.reset();
    }
  }

  /** Rows changed by the last INSERT/UPDATE/DELETE. */
  changes(): number {
    return this.raw.getRowsModified();
  }

  /** Runs `fn` atomically; nested calls become savepoints, so an inner failure can be undone alone. */
  transaction<T>(fn: () => T): T {
    const outer = this.depth === 0;
    const savepoint = `sp${this.depth}`;
    // Prepared once, like every other statement: the first import of a large history runs several hundred
    // transactions (savepoints included), and each of these four words was parsed again every time.
    this.run(outer ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.run(outer ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (e: unknown) {
      this.depth--;
      try {
        this.raw.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      } catch {
        // The original error says more than a failed rollback of an already aborted transaction.
      }
      throw e;
    }
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** The database file's bytes (a consistent snapshot; never called inside a transaction). */
  export(): Uint8Array {
    if (this.depth > 0) throw new Error('Cannot export the database inside a transaction');
    return this.raw.export();
  }

  close(): void {
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
    this.raw.close();
  }

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/** Reads a numeric column that SQL may return as NULL (an empty SUM). */
export function num(value: SqlValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

export function numOrNull(value: SqlValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

export function str(value: SqlValue | undefined): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

export function strOrNull(value: SqlValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}
