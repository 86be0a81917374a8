// Why the runtime failed to load, in words a reader (or a teacher talking to the
// host's admin) can act on.  The worker and the client describe a failure as
// {cause, file, status, contentType, detail}; `describe` turns it into one short
// Chinese sentence naming the file, and `detail` (the raw browser or Python
// text) goes to the console and the block's collapsible 「技术细节」.
// Used by both worker.js and client.js, so it touches no DOM.

export const CAUSE = Object.freeze({
  HTTP: "http", // the server answered with an error status
  NETWORK: "network", // no answer at all (offline, blocked, refused)
  INTERRUPTED: "interrupted", // the connection broke mid-file
  HTML: "html", // a web page (captive portal, error page) instead of the file
  MIME: "mime", // a script served with a type browsers refuse to run
  CORRUPT: "corrupt", // bytes arrived but are not a usable file (truncated, damaged)
  INTEGRITY: "integrity", // a package whose sha256 differs from the official lock
  STALL: "stall", // nothing happened for too long (a stalled or very slow server)
  WORKER: "worker", // the worker script itself could not start
  UNKNOWN: "unknown",
});

/** The last path segment of a URL, for messages ("pyodide.asm.wasm"). */
export function fileName(url) {
  const path = String(url || "").split(/[?#]/)[0];
  return decodeSafely(path.slice(path.lastIndexOf("/") + 1)) || "运行环境文件";
}

function decodeSafely(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const EXPECTED_TYPE = { wasm: "application/wasm", mjs: "text/javascript", js: "text/javascript" };

/** One Chinese sentence for a load failure, naming the file and the likely cause. */
export function describe({ cause, file = "运行环境文件", status, contentType, seconds } = {}) {
  const ext = file.split(".").pop();
  switch (cause) {
    case CAUSE.HTTP:
      return `服务器对 ${file} 返回了错误（HTTP ${status}），可能是文件缺失或服务器故障，请稍后重试或告知网站管理员。`;
    case CAUSE.NETWORK:
      return `无法下载 ${file}，请检查网络连接后重试。`;
    case CAUSE.INTERRUPTED:
      return `${file} 下载到一半连接中断，文件不完整，请重试。`;
    case CAUSE.HTML:
      return `服务器返回的 ${file} 是一个网页而不是所需文件（可能是网络登录页或错误页），请先在浏览器里完成网络登录后重试。`;
    case CAUSE.MIME:
      return `服务器返回的 ${file} 类型不对（应为 ${EXPECTED_TYPE[ext] || "正确的类型"}，收到的是 ${contentType || "空"}），请告知网站管理员。`;
    case CAUSE.CORRUPT:
      return `${file} 无法使用：文件不完整或已损坏（可能被截断），请重试或告知网站管理员。`;
    case CAUSE.INTEGRITY:
      return `${file} 与官方校验值不符，可能已损坏或被篡改，已拒绝使用。`;
    case CAUSE.STALL:
      return `加载 ${file} 时超过 ${seconds} 秒没有任何进展（服务器无响应或连接停滞），请稍后重试。`;
    case CAUSE.WORKER:
      return `无法启动运行环境：${file} 未能加载，请刷新页面后重试。`;
    default:
      return `加载 ${file} 时出错，请重试。`;
  }
}

/**
 * Ask the server again for `url` to learn why a script import failed: the browser's own
 * error ("Failed to fetch dynamically imported module") hides the status and type.
 * Returns {cause, status, contentType}.
 */
export async function diagnose(url, fetchFn = fetch) {
  let response;
  try {
    response = await fetchFn(url, { cache: "no-store" });
  } catch {
    return { cause: CAUSE.NETWORK };
  }
  const contentType = (response.headers.get("content-type") || "").split(";")[0].trim();
  response.body?.cancel().catch(() => {});
  if (!response.ok) return { cause: CAUSE.HTTP, status: response.status, contentType };
  if (contentType === "text/html") return { cause: CAUSE.HTML, contentType };
  if (/\.m?js$/.test(fileName(url)) && !/javascript|ecmascript/.test(contentType))
    return { cause: CAUSE.MIME, contentType };
  return { cause: CAUSE.CORRUPT, contentType };
}
