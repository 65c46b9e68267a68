/** Placeholder, replaced by the interactive reference. */
export function docsPage(specUrl: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>govmedia API 文档</title></head><body><h1>govmedia API 文档</h1><p><a href="${specUrl}">OpenAPI</a></p></body></html>`;
}
