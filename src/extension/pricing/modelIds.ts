/**
 * Model-id normalisation. Only known, documented id forms are rewritten; there is deliberately NO prefix or "closest
 * match" fallback, so a new model (`claude-opus-6`, `claude-opus-4-9`) stays unpriced instead of being billed as an old one.
 */

/** Bedrock: optional cross-region/geo profile prefix, the `anthropic.` vendor prefix, an optional `-v1:0` style version. */
const BEDROCK = /^(?:[a-z]{2,6}(?:-[a-z]+)?\.)?anthropic\.(.+?)(?:-v\d+(?::\d+)?(?::\d+k)?)?$/;
/** A Bedrock ARN (`arn:aws:bedrock:…:inference-profile/us.anthropic.…`) or Vertex resource path ends with the model id. */
const RESOURCE_PATH = /^(?:arn:aws[a-z-]*:bedrock:[^/]*\/|(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/anthropic\/models\/)/;
const VERTEX_DATE = /@(\d{8})$/;
const CONTEXT_SUFFIX = /\[1m\]$/;
/** A snapshot date `-YYYYMMDD` (20YY, real month and day ranges) at the end of an id. */
const DATE_SUFFIX = /-20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const LATEST_SUFFIX = /-latest$/;

/**
 * Rewrites the provider and context forms of an id to the plain Anthropic API id, lower-cased:
 * - `claude-sonnet-4-5[1m]` → `claude-sonnet-4-5` (Claude Code's 1M-context marker)
 * - `anthropic.claude-sonnet-4-5-20250929-v1:0`, `us.anthropic.…-v1:0`, `global.anthropic.…`, Bedrock ARNs → `claude-sonnet-4-5-20250929`
 * - Vertex `claude-sonnet-4-5@20250929` (and `publishers/anthropic/models/…`) → `claude-sonnet-4-5-20250929`
 * The date suffix is kept; {@link lookupCandidates} decides which forms to try against the table.
 */
export function normalizeModelId(raw: string): string {
  let id = raw.trim().toLowerCase();
  id = id.replace(RESOURCE_PATH, '');
  id = id.replace(CONTEXT_SUFFIX, '');
  const bedrock = BEDROCK.exec(id);
  if (bedrock) id = bedrock[1];
  id = id.replace(VERTEX_DATE, '-$1');
  return id.replace(CONTEXT_SUFFIX, '');
}

/**
 * The exact keys tried, in order, for an already-normalised id: the id itself, then (when it ends in a snapshot date
 * `-YYYYMMDD` or `-latest`) the id without that suffix. Nothing else: no version or family guessing.
 */
export function lookupCandidates(normalizedId: string): string[] {
  const out = [normalizedId];
  const undated = normalizedId.replace(DATE_SUFFIX, '').replace(LATEST_SUFFIX, '');
  if (undated !== normalizedId && undated !== '') out.push(undated);
  return out;
}

/** Claude Code marks messages it made itself (API errors, "No response requested") with this model; they are not calls. */
export const SYNTHETIC_MODEL = '<synthetic>';
