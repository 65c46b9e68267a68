// Feeds in RSSHub's own serialisation (lib/views/rss.tsx: CDATA title/description, pubDate as
// toUTCString, guid isPermaLink="false", <author>), for the weibo, kuaishou and douyin routes.

export interface RsshubItem {
  title: string;
  description: string;
  link: string;
  /** Omitted when the route has no date (kuaishou/douyin often don't). */
  pubDate?: Date;
  author?: string;
}

export function rsshubFeed(channel: { title: string; link: string; description: string }, items: readonly RsshubItem[]): string {
  const item = (i: RsshubItem) =>
    `<item><title><![CDATA[${i.title}]]></title><description><![CDATA[${i.description}]]></description>` +
    (i.pubDate ? `<pubDate>${i.pubDate.toUTCString()}</pubDate>` : "") +
    `<guid isPermaLink="false">${i.link}</guid><link>${i.link}</link>` +
    (i.author ? `<author><![CDATA[${i.author}]]></author>` : "") +
    `</item>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>` +
    `<title><![CDATA[${channel.title}]]></title><link>${channel.link}</link>` +
    `<atom:link href="${channel.link}" rel="self" type="application/rss+xml"/>` +
    `<description><![CDATA[${channel.description} - Powered by RSSHub]]></description>` +
    `<generator>RSSHub</generator><webMaster>contact@rsshub.app (RSSHub)</webMaster><language>en</language>` +
    `<lastBuildDate>Sun, 22 Nov 2026 10:00:00 GMT</lastBuildDate><ttl>5</ttl>` +
    items.map(item).join("") +
    `</channel></rss>`
  );
}

/** A weibo status as RSSHub's weibo/user route renders it (weibo/utils.ts formatExtended, default params). */
export function weiboStatus(s: { uid: string; bid: string; text: string; at: Date; author: string; retweet?: { uid: string; author: string; text: string } }): RsshubItem {
  let description = s.text;
  let title = s.text.replace(/<[^>]*>/g, "");
  if (s.retweet) {
    const quoted = `<a href="https://weibo.com/${s.retweet.uid}" target="_blank">@${s.retweet.author}</a>:&ensp;${s.retweet.text}`;
    description += `<br><blockquote> - 转发 ${quoted}</blockquote>`;
    title += ` - 转发 @${s.retweet.author}:&ensp;${s.retweet.text}`.replace(/<[^>]*>/g, "");
  }
  return { title, description, link: `https://weibo.com/${s.uid}/${s.bid}`, pubDate: s.at, author: s.author };
}

/** A kuaishou video as RSSHub's kuaishou/profile route renders it: no pubDate. */
export function kuaishouVideo(v: { userId: string; photoId: string; caption: string; cover: string }): RsshubItem {
  return {
    title: v.caption,
    description: `<img src="${v.cover}"><br>${v.caption}`,
    link: `https://www.kuaishou.com/short-video/${v.photoId}?authorId=${v.userId}`,
  };
}

/** A douyin video as RSSHub's douyin/user route renders it (with or without a date). */
export function douyinVideo(v: { awemeId: string; desc: string; at?: Date }): RsshubItem {
  return {
    title: v.desc,
    description: `<video controls preload="metadata" poster="https://p3.douyinpic.com/${v.awemeId}.jpeg"><source src="https://www.douyin.com/aweme/v1/play/?video_id=${v.awemeId}" type="video/mp4"></video><br>${v.desc}`,
    link: `https://www.douyin.com/video/${v.awemeId}`,
    ...(v.at ? { pubDate: v.at } : {}),
  };
}
