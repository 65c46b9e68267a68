/** The landing page until the web UI lands: what this is and where the API lives. */
export function homePage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>govmedia 政务新媒体备案与监测</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:720px;margin:48px auto;padding:0 16px;color:#1f2933;line-height:1.7}
h1{font-size:24px}a{color:#b42318}code{background:#f3f4f6;padding:1px 4px;border-radius:3px}</style></head>
<body><h1>govmedia 政务新媒体备案与监测</h1>
<p>分级备案台账、账号开设/变更/停更/关停/整合审核、审计日志、台账导入导出。</p>
<ul><li><a href="/api/docs">API 文档（可在线调试）</a></li><li><a href="/api/openapi.json">OpenAPI 描述文件</a></li><li><a href="/health">运行状态</a></li></ul>
<p>首次使用：在服务器上运行 <code>npm run cli -- bootstrap --name 某市人民政府 --level city</code> 获取管理员令牌。</p>
</body></html>`;
}
