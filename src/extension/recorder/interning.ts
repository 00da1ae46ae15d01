/**
 * Small tables of names (consumers, models, projects, collectors, labels, price versions), each row stored once and
 * referenced by id from the calls. Ids are cached in memory; a cache is dropped whenever a transaction that may have
 * added rows rolls back, so it never holds an id that does not exist.
 */
import type { Source } from '../../shared/callRecord';
import type { Db } from '../store/db';
import { foldName } from '../store/schema';
import { sourceCode } from '../store/sourceCodes';

type NameTable = 'models' | 'projects' | 'collectors' | 'labels' | 'price_versions';
const NAME_COLUMN: Readonly<Record<NameTable, string>> = {
  models: 'name',
  projects: 'path',
  collectors: 'name',
  labels: 'text',
  price_versions: 'version',
};

export interface ConsumerEntry {
  id: number;
  name: string;
}

export class Interner {
  private readonly ids = new Map<NameTable, Map<string, number>>();
  private readonly names = new Map<NameTable, Map<number, string>>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Keys looked up and not found, so renames of calls for new consumers cost no query each. */
  private readonly missingConsumers = new Set<string>();
  /** Every stored consumer is in `consumers` (see loadConsumers): a key not there is new, without a lookup. */
  private allConsumersKnown = false;

  constructor(private readonly db: Db) {}

  id(table: NameTable, value: string): number {
    let cache = this.ids.get(table);
    if (!cache) {
      cache = new Map();
      this.ids.set(table, cache);
    }
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const column = NAME_COLUMN[table];
    const found = this.db.first(`SELECT id FROM ${table} WHERE ${column} = ?`, [value]);
    const id = found
      ? (found[0] as number)
      : (this.db.first(`INSERT INTO ${table} (${column}) VALUES (?) RETURNING id`, [value])![0] as number);
    cache.set(value, id);
    return id;
  }

  /** The value behind an id (e.g. the collector of a stored call); undefined for an id the table does not hold. */
  name(table: NameTable, id: number): string | undefined {
    let names = this.names.get(table);
    if (!names) {
      names = new Map();
      this.names.set(table, names);
    }
    const cached = names.get(id);
    if (cached !== undefined) return cached;
    const found = this.db.first(`SELECT ${NAME_COLUMN[table]} FROM ${table} WHERE id = ?`, [id]);
    if (!found || typeof found[0] !== 'string') return undefined;
    names.set(id, found[0]);
    return found[0];
  }

  optionalId(table: NameTable, value: string | undefined): number | null {
    return value === undefined ? null : this.id(table, value);
  }

  /**
   * Reads every stored consumer, so that until forgetConsumers() (or forget()) a key not in the cache is new without a
   * lookup: a large import creates thousands of consumers, each of which cost a query that found nothing.
   */
  loadConsumers(): void {
    this.db.each('SELECT id, key, name FROM consumers', [], (row) => {
      this.consumers.set(row[1] as string, { id: row[0] as number, name: row[2] as string });
    });
    this.missingConsumers.clear();
    this.allConsumersKnown = true;
  }

  /** Back to looking up consumers the cache does not hold (rows may now be added around the recorder). */
  forgetConsumers(): void {
    this.allConsumersKnown = false;
  }

  /** The consumer's row, created with this name and source when new. */
  consumer(key: string, name: string, source: Source): ConsumerEntry {
    const cached = this.consumers.get(key);
    if (cached) return cached;
    const found = this.allConsumersKnown ? undefined : this.db.first('SELECT id, name FROM consumers WHERE key = ?', [key]);
    const entry: ConsumerEntry = found
      ? { id: found[0] as number, name: found[1] as string }
      : {
          id: this.db.first('INSERT INTO consumers (key, name, search_name, source) VALUES (?, ?, ?, ?) RETURNING id', [
            key,
            name,
            foldName(name),
            sourceCode(source),
          ])![0] as number,
          name,
        };
    this.consumers.set(key, entry);
    this.missingConsumers.delete(key);
    return entry;
  }

  /** Renames a known consumer; returns false (and changes nothing) for an unknown key or the same name. */
  rename(key: string, name: string): boolean {
    const entry = this.consumers.get(key) ?? this.lookupConsumer(key);
    if (!entry || entry.name === name) return false;
    this.db.run('UPDATE consumers SET name = ?, search_name = ? WHERE id = ?', [name, foldName(name), entry.id]);
    entry.name = name;
    return true;
  }

  forget(): void {
    this.ids.clear();
    this.names.clear();
    this.consumers.clear();
    this.missingConsumers.clear();
    this.allConsumersKnown = false;
  }

  private lookupConsumer(key: string): ConsumerEntry | undefined {
    if (this.allConsumersKnown || this.missingConsumers.has(key)) return undefined;
    const found = this.db.first('SELECT id, name FROM consumers WHERE key = ?', [key]);
    if (!found) {
      this.missingConsumers.add(key);
      return undefined;
    }
    const entry = { id: found[0] as number, name: found[1] as string };
    this.consumers.set(key, entry);
    return entry;
  }
}
