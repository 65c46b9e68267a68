// UTF-8 byte counting and cutting. Robot APIs limit message size in UTF-8 bytes (企业微信 markdown:
// 4096), and a Chinese character is 3 bytes, so string length is the wrong measure.

const encoder = new TextEncoder();

export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Bytes of one code point; a lone surrogate is encoded as U+FFFD (3 bytes), as TextEncoder does. */
function codePointBytes(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** The longest prefix of `text` that fits in `maxBytes`, cut between code points (never inside one). */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = codePointBytes(ch.codePointAt(0)!);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** `text` unchanged if it fits, else a prefix plus `mark`, together at most `maxBytes`. */
export function truncateUtf8(text: string, maxBytes: number, mark: string): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  const room = maxBytes - utf8ByteLength(mark);
  if (room < 0) return utf8Prefix(mark, maxBytes);
  return utf8Prefix(text, room) + mark;
}

/**
 * head + lines.join(sep) + tail within `maxBytes`. When it does not fit, whole lines are kept while
 * they fit, the first line that does not is cut on a character boundary and ends with `mark`; the
 * head (title) and tail (link) stay, so the reader still gets the link to the full report. Only
 * when title, link and mark alone exceed the limit is the whole text cut as plain text.
 */
export function joinWithinBytes(
  parts: { head: string; lines: readonly string[]; sep: string; tail: string },
  maxBytes: number,
  mark: string,
): string {
  const { head, lines, sep, tail } = parts;
  const whole = head + lines.join(sep) + tail;
  if (utf8ByteLength(whole) <= maxBytes) return whole;

  const fixed = utf8ByteLength(head) + utf8ByteLength(tail);
  const sepBytes = utf8ByteLength(sep);
  const markBytes = utf8ByteLength(mark);
  const kept: string[] = [];
  let used = fixed;
  for (const line of lines) {
    const before = kept.length > 0 ? sepBytes : 0;
    const lineBytes = utf8ByteLength(line);
    // Keep the line only if the mark still fits after it: something further down is being cut.
    if (used + before + lineBytes + markBytes <= maxBytes) {
      kept.push(line);
      used += before + lineBytes;
      continue;
    }
    const room = maxBytes - used - before - markBytes;
    if (room >= 0) kept.push(utf8Prefix(line, room) + mark);
    // No room for even a piece of this line: the mark goes right after the last kept line, which
    // was only kept because the mark fits behind it.
    else if (kept.length > 0) kept[kept.length - 1] += mark;
    // Title and link leave no room for the mark: cut the whole text as plain text instead.
    else break;
    return head + kept.join(sep) + tail;
  }
  return truncateUtf8(whole, maxBytes, mark);
}
