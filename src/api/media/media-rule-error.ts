/**
 * A media file or attachment list X would refuse, found before any byte was sent. `file` is the
 * path as the person gave it (or undefined for a rule about the whole list).
 */
export class MediaRuleError extends Error {
  override readonly name = 'MediaRuleError';
  constructor(
    readonly file: string | undefined,
    readonly rule: string,
  ) {
    super(file === undefined ? rule : `${file}: ${rule}`);
  }
}
