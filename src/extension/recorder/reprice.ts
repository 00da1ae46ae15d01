/** Re-pricing: every stored call's cost recomputed with the current price table, then the roll-ups rebuilt from rows. */
import type { Pricer } from '../pricing';
import type { Db } from '../store/db';
import { REBUILD_ROLLUPS_SQL } from '../store/schema';
import type { RecorderLog } from './recorder';

const PAGE = 2000;

const SELECT_PAGE = `
SELECT c.id, m.name, c.ts, c.input, c.cache_write_5m, c.cache_write_1h, c.cache_read, c.output, c.web_search,
       sp.text, geo.text, c.cost_nanos, c.price_version_id
FROM calls c
JOIN models m ON m.id = c.model_id
LEFT JOIN labels sp ON sp.id = c.speed_id
LEFT JOIN labels geo ON geo.id = c.inference_geo_id
WHERE c.id > ?
ORDER BY c.id
LIMIT ${PAGE}`;

/** Runs inside the caller's transaction. Returns how many calls' costs changed. */
export function repriceAll(db: Db, pricer: Pricer, versionId: number, log: RecorderLog): number {
  let lastId = 0;
  let changed = 0;
  let failures = 0;
  for (;;) {
    const rows = db.all(SELECT_PAGE, [lastId]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const id = row[0] as number;
      lastId = id;
      let cost: number | null;
      try {
        cost = pricer.price({
          model: row[1] as string,
          ts: row[2] as number,
          tokens: {
            input: row[3] as number,
            cacheWrite5m: row[4] as number,
            cacheWrite1h: row[5] as number,
            cacheRead: row[6] as number,
            output: row[7] as number,
          },
          webSearchRequests: typeof row[8] === 'number' ? row[8] : undefined,
          speed: typeof row[9] === 'string' ? row[9] : undefined,
          inferenceGeo: typeof row[10] === 'string' ? row[10] : undefined,
        });
        if (cost !== null && (!Number.isSafeInteger(cost) || cost < 0)) throw new Error(`invalid cost ${cost}`);
      } catch {
        failures++;
        cost = null;
      }
      const oldCost = typeof row[11] === 'number' ? row[11] : null;
      if (cost !== oldCost || row[12] !== versionId) {
        db.run('UPDATE calls SET cost_nanos = ?, price_version_id = ? WHERE id = ?', [cost, versionId, id]);
        if (cost !== oldCost) changed++;
      }
    }
  }
  if (failures > 0) log('error', `Pricing failed for ${failures} stored calls while re-pricing; they are now unpriced.`);
  if (changed > 0) db.exec(REBUILD_ROLLUPS_SQL);
  return changed;
}
