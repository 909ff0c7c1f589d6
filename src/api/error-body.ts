import { printable } from '../text/printable.js';

/**
 * What X said went wrong, from any of its error shapes:
 * - v1.1: {"errors":[{"code":89,"message":"Invalid or expired token."}]}
 * - v2 problem JSON: {"title","detail","type","status"} (sometimes with "errors":[{"message"}]),
 *   with extra members for some problems: "reason" (client-forbidden), "period" and "scope"
 *   (UsageCapExceeded)
 * - oauth endpoints: XML (<error code="415">…</error>) or plain text.
 * Never throws: a body that fits no shape yields its first line as the message.
 */
export interface ErrorBody {
  readonly code?: number | undefined;
  readonly message?: string | undefined;
  readonly title?: string | undefined;
  readonly detail?: string | undefined;
  readonly type?: string | undefined;
  /** v2 problems: why (client-forbidden's "client-not-enrolled"). */
  readonly reason?: string | undefined;
  /** UsageCapExceeded: the cap's period ("Monthly") and scope ("Product", "Account"). */
  readonly period?: string | undefined;
  readonly scope?: string | undefined;
}

/** Keeps server text printable and short: it is echoed to a terminal (the one cleaning function). */
export const clean: (text: string) => string = printable;

function str(v: unknown): string | undefined {
  // Blank after cleaning (e.g. only control characters) is no text: let callers' `??` fall back.
  const text = typeof v === 'string' ? printable(v) : '';
  return text !== '' ? text : undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,6}$/.test(v)) return Number(v);
  return undefined;
}

function fromJson(value: unknown): ErrorBody | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const first =
    Array.isArray(o.errors) && typeof o.errors[0] === 'object' && o.errors[0] !== null
      ? (o.errors[0] as Record<string, unknown>)
      : undefined;
  const out: ErrorBody = {
    code: int(first?.code) ?? int(o.code),
    message: str(first?.message) ?? str(o.error) ?? str(o.message),
    title: str(o.title),
    detail: str(o.detail),
    type: str(o.type),
    reason: str(o.reason),
    period: str(o.period),
    scope: str(o.scope),
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

function fromXml(body: string): ErrorBody | undefined {
  // [^<>]* (not [^>]*): each attempt stops at the next "<", so "<error<error…" is linear, not quadratic.
  const m = /<error(?:\s+code="(\d{1,6})")?[^<>]*>([^<]*)<\/error>/i.exec(body);
  if (!m) return undefined;
  return { code: m[1] ? Number(m[1]) : undefined, message: str(m[2]) };
}

export function parseErrorBody(body: string): ErrorBody {
  const trimmed = body.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    try {
      const parsed = fromJson(JSON.parse(trimmed));
      if (parsed) return parsed;
    } catch {
      // truncated or not JSON after all: fall through to text
    }
  }
  if (trimmed.startsWith('<')) {
    const xml = fromXml(trimmed);
    if (xml) return xml;
    if (/<html/i.test(trimmed)) return { message: undefined };
  }
  return { message: str(trimmed.split('\n', 1)[0] ?? '') };
}
