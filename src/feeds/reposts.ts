// Reposts (转发) where the bridge marks them, docs/规则依据.md#转发. Pure and runtime-neutral.
//
// RSSHub's weibo routes (lib/routes/weibo/utils.ts, formatExtended) render a retweet as
//   title:       "<own text> - 转发 @<author>: <retweeted text>"   ("🔁 " with showEmojiForRetweet)
//   description: "<own html><br><blockquote> - 转发 <a href=\"https://weibo.com/<uid>\">@<author></a>:&ensp;…</blockquote>"
// and, with `readable`, a styled <blockquote> ending in "原博：<a …>". Weibo itself writes a repost's
// own text as "转发微博" when the reposter adds nothing, and chains comments as "…//@<author>:…".

/** Enough of an item to tell: its title and its HTML description or content, as the feed wrote them. */
export interface RepostEvidence {
  title?: string | null;
  description?: string | null;
}

/** RSSHub's title marker between the own text and the retweeted one. */
const TITLE_MARKER = /(?:^|\s)-\s转发\s|🔁/u;
/**
 * Own text that is repost wording: Weibo's "转发微博", "转发 @某某：…", "转发：…", and the "【转发】" label
 * (not "转发周知", an original asking readers to share).
 */
const OWN_TEXT_REPOST = /^(?:【\s*转发(?:微博)?\s*】|转发(?:微博)?(?:$|[\s:：@]))/u;
/** The opening of RSSHub's retweet block, plain or readable. */
const BLOCKQUOTE_REPOST = /<blockquote\b[^>]*>\s*-\s*转发\s/iu;
const BLOCKQUOTE_READABLE = /<blockquote\b[^>]*>[\s\S]*?原博：/iu;

function plain(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&ensp;|&nbsp;|&#160;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether the item is a repost: the bridge's retweet markup, or the author's own text saying so. */
export function isRepost(item: RepostEvidence): boolean {
  const title = (item.title ?? "").trim();
  const description = item.description ?? "";
  if (TITLE_MARKER.test(title)) return true;
  if (BLOCKQUOTE_REPOST.test(description) || BLOCKQUOTE_READABLE.test(description)) return true;
  // The author's own text: the title (no marker in it, see above), and the description before any quoted block.
  const ownDescription = plain(description.split(/<blockquote\b/i)[0] ?? "");
  return [title, ownDescription].some((own) => own !== "" && (OWN_TEXT_REPOST.test(own) || own.includes("//@")));
}
