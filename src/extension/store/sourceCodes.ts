/** Sources are stored as small integers (one byte a row); this is the only place that knows the mapping. */
import { SOURCES, type Source } from '../../shared/callRecord';

export function sourceCode(source: Source): number {
  return SOURCES.indexOf(source);
}

export function sourceFromCode(code: unknown): Source {
  const source = typeof code === 'number' ? SOURCES[code] : undefined;
  if (!source) throw new Error(`Unknown source code in the database: ${String(code)}`);
  return source;
}
