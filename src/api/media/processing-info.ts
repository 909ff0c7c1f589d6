import { clean } from '../error-body.js';

/** X's media processing states (X API v2 "Media upload", FINALIZE and STATUS). */
export type ProcessingState = 'pending' | 'in_progress' | 'succeeded' | 'failed';

export interface ProcessingInfo {
  readonly state: ProcessingState;
  /** Seconds to wait before asking again; bounded here, whatever the server says. */
  readonly checkAfterSecs: number;
  readonly progressPercent?: number | undefined;
  /** processing_info.error, cleaned: what X says went wrong. */
  readonly error?: string | undefined;
}

const STATES = new Set<string>(['pending', 'in_progress', 'succeeded', 'failed']);
/** A server asking for a longer pause still gets asked again within a minute. */
const MAX_CHECK_AFTER_SECS = 60;

/** Reads `processing_info` from a FINALIZE or STATUS answer's data; undefined when absent. */
export function parseProcessingInfo(data: unknown): ProcessingInfo | undefined | 'malformed' {
  if (typeof data !== 'object' || data === null) return undefined;
  const info = (data as { processing_info?: unknown }).processing_info;
  if (info === undefined) return undefined;
  if (typeof info !== 'object' || info === null) return 'malformed';
  const { state, check_after_secs, progress_percent, error } = info as Record<string, unknown>;
  if (typeof state !== 'string' || !STATES.has(state)) return 'malformed';
  const wait =
    typeof check_after_secs === 'number' && Number.isFinite(check_after_secs)
      ? Math.min(Math.max(check_after_secs, 0), MAX_CHECK_AFTER_SECS)
      : 1;
  const percent =
    typeof progress_percent === 'number' && Number.isFinite(progress_percent)
      ? Math.min(Math.max(Math.round(progress_percent), 0), 100)
      : undefined;
  let said: string | undefined;
  if (typeof error === 'object' && error !== null) {
    const e = error as { message?: unknown; name?: unknown; code?: unknown };
    said =
      [e.name, e.message]
        .filter((v): v is string => typeof v === 'string')
        .map((s) => clean(s))
        .filter(Boolean)
        .join(': ') || undefined;
    if (!said && typeof e.code === 'number') said = `code ${e.code}`;
  }
  return { state: state as ProcessingState, checkAfterSecs: wait, progressPercent: percent, error: said };
}
