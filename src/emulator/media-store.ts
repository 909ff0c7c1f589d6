import { createHash } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import type { EmuMediaCategory } from './media-formats.js';
import { TweetIdGenerator } from './tweet-ids.js';
import { mp4DurationSeconds } from './mp4-duration.js';

/** What the emulator keeps of one appended segment: its size and digest, never its bytes. */
export interface SegmentRecord {
  readonly bytes: number;
  readonly sha256: string;
}

export type MediaPhase = 'uploading' | 'processing' | 'succeeded' | 'failed';

export interface MediaRecord {
  readonly id: string;
  readonly mediaKey: string;
  readonly userId: string;
  readonly consumerKey: string;
  readonly mediaType: string;
  readonly category: EmuMediaCategory;
  readonly totalBytes: number;
  readonly segments: Map<number, SegmentRecord>;
  /** The first bytes of segment 0, to judge the content type. */
  head: Buffer;
  finalizedAtMs?: number;
  /** Set at FINALIZE for uploads that go through processing and fail: why, as X words it. */
  willFail?: string;
  /** SHA-256 over the segments' digests in order, set at FINALIZE. */
  digest?: string;
  altText?: string;
  readonly expiresAtMs: number;
}

/** The sandbox keeps an upload for 24 hours (X says how long it keeps one in expires_after_secs). */
export const MEDIA_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface MediaSettings {
  /** How long video and GIF processing takes. */
  processingMs: number;
  /** The next N uploads that go through processing fail. */
  failNext: number;
  /** The account's video limit in MB (X: 512, more with a subscription). */
  maxVideoMb: number;
  /** The longest video the account may post, in seconds (X: 140 for most accounts). */
  maxVideoSeconds: number;
}

export interface MediaSummary {
  id: string;
  userId: string;
  mediaType: string;
  category: EmuMediaCategory;
  totalBytes: number;
  segments: number;
  phase: MediaPhase;
  /** SHA-256 over the segments' SHA-256 digests, in order (set at FINALIZE). */
  digest?: string;
  altText?: string;
}

export interface ProcessingView {
  state: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  check_after_secs?: number;
  progress_percent?: number;
  error?: { code: number; name: string; message: string };
}

/** Uploads by id; their processing is a function of the time since FINALIZE. */
export class MediaStore {
  readonly #records = new Map<string, MediaRecord>();
  readonly #ids = new TweetIdGenerator();
  readonly settings: MediaSettings;

  constructor(
    private readonly clock: EmulatorClock,
    settings: Partial<MediaSettings> = {},
  ) {
    this.settings = {
      processingMs: settings.processingMs ?? 3000,
      failNext: settings.failNext ?? 0,
      maxVideoMb: settings.maxVideoMb ?? 512,
      maxVideoSeconds: settings.maxVideoSeconds ?? 140,
    };
  }

  create(fields: Pick<MediaRecord, 'userId' | 'consumerKey' | 'mediaType' | 'category' | 'totalBytes'>): MediaRecord {
    this.#prune();
    const now = this.clock.nowMs();
    const id = this.#ids.next(now);
    const record: MediaRecord = {
      ...fields,
      id,
      mediaKey: `${fields.category === 'tweet_video' ? 7 : fields.category === 'tweet_gif' ? 16 : 3}_${id}`,
      segments: new Map(),
      head: Buffer.alloc(0),
      expiresAtMs: now + MEDIA_LIFETIME_MS,
    };
    this.#records.set(id, record);
    return record;
  }

  /** Changes the switches (the control endpoint, the sandbox's flags). */
  configure(s: {
    processingMs?: number;
    failProcessing?: number;
    maxVideoMb?: number;
    maxVideoSeconds?: number;
  }): void {
    if (s.maxVideoSeconds !== undefined) this.settings.maxVideoSeconds = s.maxVideoSeconds;
    if (s.processingMs !== undefined) this.settings.processingMs = s.processingMs;
    if (s.failProcessing !== undefined) this.settings.failNext = s.failProcessing;
    if (s.maxVideoMb !== undefined) this.settings.maxVideoMb = s.maxVideoMb;
  }

  /** What tests look at: each upload's facts, digest and alt text, never bytes. */
  summaries(): MediaSummary[] {
    return [...this.#records.values()].map((r) => ({
      id: r.id,
      userId: r.userId,
      mediaType: r.mediaType,
      category: r.category,
      totalBytes: r.totalBytes,
      segments: r.segments.size,
      phase: this.phase(r),
      ...(r.digest !== undefined ? { digest: r.digest } : {}),
      ...(r.altText !== undefined ? { altText: r.altText } : {}),
    }));
  }

  find(id: string): MediaRecord | undefined {
    const r = this.#records.get(id);
    return r && r.expiresAtMs > this.clock.nowMs() ? r : undefined;
  }

  count(): number {
    return this.#records.size;
  }

  /** Ends the upload: later STATUS answers follow the processing timeline. */
  finalize(record: MediaRecord): void {
    record.finalizedAtMs = this.clock.nowMs();
    const hash = createHash('sha256');
    for (let i = 0; i < record.segments.size; i++) hash.update(record.segments.get(i)!.sha256);
    record.digest = hash.digest('hex');
    const seconds = record.category === 'tweet_video' ? mp4DurationSeconds(record.head) : undefined;
    if (seconds !== undefined && seconds > this.settings.maxVideoSeconds) {
      record.willFail = `Video duration is too long: ${Math.round(seconds)} seconds; this account may post up to ${this.settings.maxVideoSeconds} seconds`;
    } else if (record.category !== 'tweet_image' && this.settings.failNext > 0) {
      this.settings.failNext--;
      record.willFail = 'Unsupported video format';
    }
  }

  phase(record: MediaRecord): MediaPhase {
    if (record.finalizedAtMs === undefined) return 'uploading';
    const view = this.processing(record);
    return view === undefined || view.state === 'succeeded'
      ? 'succeeded'
      : view.state === 'failed'
        ? 'failed'
        : 'processing';
  }

  /**
   * processing_info for FINALIZE and STATUS: images are done at once (undefined); video and GIFs
   * go pending → in_progress → succeeded (or failed, half-way) over settings.processingMs.
   */
  processing(record: MediaRecord): ProcessingView | undefined {
    if (record.finalizedAtMs === undefined || record.category === 'tweet_image') return undefined;
    // processingMs 0: done at FINALIZE (benchmarks that measure the upload alone).
    if (this.settings.processingMs === 0 && !record.willFail) return { state: 'succeeded', progress_percent: 100 };
    const total = Math.max(1, this.settings.processingMs);
    const elapsed = this.clock.nowMs() - record.finalizedAtMs;
    const wait = Math.max(1, Math.min(5, Math.ceil(total / 4000)));
    if (record.willFail && elapsed >= total / 2) {
      return {
        state: 'failed',
        progress_percent: 50,
        error: { code: 1, name: 'InvalidMedia', message: record.willFail },
      };
    }
    if (elapsed >= total) return { state: 'succeeded', progress_percent: 100 };
    if (elapsed < total / 4) return { state: 'pending', check_after_secs: wait };
    return { state: 'in_progress', check_after_secs: wait, progress_percent: Math.floor((elapsed / total) * 100) };
  }

  #prune(): void {
    const now = this.clock.nowMs();
    for (const [id, r] of this.#records) if (r.expiresAtMs <= now) this.#records.delete(id);
  }
}
