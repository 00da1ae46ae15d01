/**
 * Which consumers a records search matches, answered from memory. The search box updates the records table as the
 * user types, and scanning the consumers table with instr() cost ~13 ms a keystroke at 21k consumers (a year of heavy
 * use: SQLite in WebAssembly spends ~0.6 µs a row); a JavaScript scan of the folded names takes ~1.5 ms.
 *
 * The names are read again whenever the consumers table changed since they were read: temporary triggers (this
 * connection's only, never saved) count inserts, renames and deletions.
 */
import { num, str, type Db } from '../store/db';

const TRACK_CHANGES = `
CREATE TEMP TABLE IF NOT EXISTS consumer_changes (n INTEGER NOT NULL);
INSERT INTO consumer_changes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM consumer_changes);
CREATE TEMP TRIGGER IF NOT EXISTS consumers_inserted AFTER INSERT ON main.consumers BEGIN UPDATE consumer_changes SET n = n + 1; END;
CREATE TEMP TRIGGER IF NOT EXISTS consumers_renamed AFTER UPDATE OF search_name ON main.consumers BEGIN UPDATE consumer_changes SET n = n + 1; END;
CREATE TEMP TRIGGER IF NOT EXISTS consumers_deleted AFTER DELETE ON main.consumers BEGIN UPDATE consumer_changes SET n = n + 1; END;
`;

interface Names {
  /** consumer_changes.n when the names were read. */
  version: number;
  ids: number[];
  folded: string[];
}

const namesByDb = new WeakMap<Db, Names>();

/** Ids of the consumers whose folded name contains `folded` (already folded with foldName), in id order. */
export function consumersMatching(db: Db, folded: string): number[] {
  // Inside a transaction a later rollback could bring back a count the names were read at: read the table itself.
  if (db.inTransaction) return db.all('SELECT id FROM consumers WHERE instr(search_name, ?) > 0 ORDER BY id', [folded]).map((row) => num(row[0]));
  const names = currentNames(db);
  const ids: number[] = [];
  for (let i = 0; i < names.folded.length; i++) if (names.folded[i].includes(folded)) ids.push(names.ids[i]);
  return ids;
}

function currentNames(db: Db): Names {
  let names = namesByDb.get(db);
  if (!names) db.exec(TRACK_CHANGES);
  const version = num(db.first('SELECT n FROM temp.consumer_changes')?.[0]);
  if (names?.version === version) return names;
  names = { version, ids: [], folded: [] };
  const { ids, folded } = names;
  db.each('SELECT id, search_name FROM consumers ORDER BY id', [], (row) => {
    ids.push(num(row[0]));
    folded.push(str(row[1]));
  });
  namesByDb.set(db, names);
  return names;
}
