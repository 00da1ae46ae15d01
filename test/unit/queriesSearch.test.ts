// The records search reads the consumers' names from memory: it must see every consumer added, renamed or removed
// since it last read them, also inside a transaction, exactly as scanning the table would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumersMatching } from '../../src/extension/queries/consumerSearch';
import { foldName } from '../../src/extension/store/schema';
import { num } from '../../src/extension/store/db';
import { ALL_TIME, benchWith } from './queriesSetup';
import { fakePricer, makeCall } from './storeFixtures';

const consumer = (key: string, name: string) => makeCall({ consumer: { key, name } });

describe('records search', () => {
  it('sees consumers added, renamed and removed since it last looked, as a scan of the table does', async () => {
    const bench = await benchWith([consumer('a', 'Fix the AUTH bug'), consumer('b', 'Write the docs'), consumer('c', 'Authorise écran')], fakePricer());
    const { db, recorder, queries } = bench;
    const scan = (term: string) =>
      db.all('SELECT id FROM consumers WHERE instr(search_name, ?) > 0 ORDER BY id', [foldName(term)]).map((r) => num(r[0]));
    const names = (term: string) => queries.records({ range: ALL_TIME, page: 1, search: term }).rows.map((r) => r.name).sort();
    const check = (term: string) => assert.deepEqual(consumersMatching(db, foldName(term)), scan(term), term);

    assert.deepEqual(names('auth'), ['Authorise écran', 'Fix the AUTH bug']);
    recorder.record([consumer('d', 'Auth refactor')]);
    assert.deepEqual(names('auth'), ['Auth refactor', 'Authorise écran', 'Fix the AUTH bug'], 'a new consumer is found');
    assert.equal(recorder.renameConsumer('a', 'Fix the login bug'), true);
    assert.deepEqual(names('auth'), ['Auth refactor', 'Authorise écran'], 'a renamed one is no longer found');
    assert.deepEqual(names('login'), ['Fix the login bug']);
    db.run("DELETE FROM consumers WHERE key = 'c'");
    check('auth');
    for (const term of ['', 'ÉCRAN', 'the', 'zzz']) check(term);
    db.transaction(() => {
      recorder.record([consumer('e', 'Auth inside a transaction')]);
      check('auth');
    });
    check('auth');
    assert.throws(() =>
      db.transaction(() => {
        recorder.record([consumer('f', 'Auth rolled back')]);
        check('auth');
        throw new Error('undo');
      }),
    );
    // The change count went back with the rollback; one more change brings it to the count seen inside it.
    recorder.record([consumer('g', 'Auth after the rollback')]);
    check('auth');
    assert.equal(consumersMatching(db, foldName('rolled back')).length, 0);
    assert.deepEqual(names('after the rollback'), ['Auth after the rollback']);
  });
});
