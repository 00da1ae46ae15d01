// Model-id normalisation: the known provider and suffix forms, and no loose matching.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPricer, normalizeModelId } from '../../src/extension/pricing/index';
import { call } from './pricingHelpers';

const { pricer } = createPricer({});

describe('normalizeModelId', () => {
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['  Claude-Opus-5-5 ', 'claude-opus-5-5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['claude-opus-4-6[1M]', 'claude-opus-4-6'],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001'],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet-20241022'],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1-20250805'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5-20250929'],
    ['publishers/anthropic/models/claude-opus-4-5@20251101', 'claude-opus-4-5-20251101'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet-v2-20241022'],
    ['<synthetic>', '<synthetic>'],
    ['claude-opus-6', 'claude-opus-6'],
  ];
  for (const [raw, expected] of CASES) it(`${raw} → ${expected}`, () => assert.equal(normalizeModelId(raw), expected));
});

describe('resolving ids to table rows', () => {
  const RESOLVES: ReadonlyArray<readonly [string, string]> = [
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-haiku-4-5', 'claude-haiku-4-5'],
    ['claude-opus-4-1', 'claude-opus-4-1'],
  ];
  for (const [raw, row] of RESOLVES) {
    it(`${raw} is priced as ${row}`, () => {
      assert.equal(pricer.resolveModel(raw), row);
      assert.equal(pricer.knows(raw), true);
      assert.equal(pricer.price(call(raw, { input: 1000 })), pricer.price(call(row, { input: 1000 })));
    });
  }

  const UNPRICED = [
    'claude-opus-6', // a new model is not Opus 4 or 5
    'claude-opus-4-9', // a new version is not Opus 4
    'claude-opus-5-6',
    'claude-sonnet-6-20270101',
    'claude-opus-4-5-1',
    'claude-opus-4-5x',
    'claude-opus-4-5-2025', // not a full date
    'claude-opus-4-5-20251301', // month 13 is not a date
    'claude-sonnet',
    'claude',
    'opus',
    'gpt-4o',
    'anthropic.claude-opus-6-v1:0',
    '<synthetic>',
    '',
  ];
  for (const raw of UNPRICED) {
    it(`"${raw}" is unpriced (null), never $0`, () => {
      assert.equal(pricer.knows(raw), false);
      assert.equal(pricer.resolveModel(raw), null);
      assert.equal(pricer.price(call(raw, { input: 1000, output: 10 })), null);
    });
  }
});
