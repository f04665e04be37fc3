// The status page's document (GET /status): a shell with no fleet data in it, so it needs no guard.
// Its inline script fetches the rendered body from /v1/status/page, which is guarded like /v1/status:
// when that answers 401 the page asks for the API token, keeps it in sessionStorage (this tab only,
// gone when it closes) and sends it as a bearer header. A token never goes in a URL, where logs and
// browser history would keep it. The Content-Security-Policy allows only this document's own script
// and style (by hash) and requests to this server.
import { createHash } from "node:crypto";

/** How often an open page reloads its body, while its tab is visible. */
export const REFRESH_MS = 10_000;

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; font-size: 14px; }
body { margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
header p, .when, .project { color: #555; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { color: #555; } dd { margin: 0; }
code { font-family: ui-monospace, monospace; font-size: .92em; word-break: break-all; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eee; }
th { background: #f6f6f6; font-weight: 600; }
.good { color: #1a7f37; } .bad { color: #b42318; font-weight: 600; } .rollback { color: #9a6700; }
.note { background: #fff8e1; border-left: 3px solid #e69f00; padding: .3rem .6rem; }
.empty { color: #777; font-style: italic; }
ol.steps { margin: 0; padding-left: 1.2rem; font-size: .9em; } li.step.fail { color: #b42318; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; padding: 0; }
svg.timeline { width: 100%; height: auto; }
svg .grid { stroke: #eee; } svg .axis { stroke: #555; }
svg .series { fill: none; stroke-width: 2.5; }
svg text { font-size: 11px; fill: #444; } svg .axis-label { font-size: 12px; fill: #222; }
#auth { margin: 1rem 0; } #auth[hidden] { display: none; } #message { color: #b42318; }
`;

const SCRIPT = `
(() => {
  const KEY = "asg-release-token";
  const body = document.getElementById("status");
  const auth = document.getElementById("auth");
  const forget = document.getElementById("forget");
  const message = document.getElementById("message");
  const updated = document.getElementById("updated");
  const show = (text) => { message.textContent = text; };
  async function load() {
    const token = sessionStorage.getItem(KEY);
    forget.hidden = !token;
    let res;
    try {
      res = await fetch("v1/status/page", {
        headers: token ? { authorization: "Bearer " + token } : {},
        cache: "no-store",
        credentials: "omit",
      });
    } catch (err) {
      return show("cannot reach the release server: " + err.message);
    }
    if (res.status === 401) {
      auth.hidden = false;
      body.replaceChildren();
      return show(token ? "the server refused this token" : "this server needs its API token");
    }
    if (!res.ok) return show("the server answered " + res.status);
    auth.hidden = true;
    // The server escapes every value it renders; the policy lets no script in the body run.
    body.innerHTML = await res.text();
    updated.textContent = "updated " + new Date().toISOString().slice(0, 19).replace("T", " ") + " UTC";
    show("");
  }
  auth.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = auth.elements.token.value.trim();
    auth.elements.token.value = "";
    if (token) sessionStorage.setItem(KEY, token);
    void load();
  });
  forget.addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    body.replaceChildren();
    void load();
  });
  void load();
  setInterval(() => { if (!document.hidden) void load(); }, ${REFRESH_MS});
})();
`;

const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>asg-release status</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>asg-release status</h1><p id="updated"></p></header>
<form id="auth" hidden autocomplete="off">
<label>API token <input name="token" type="password" autocomplete="off" required></label>
<button type="submit">Show status</button>
</form>
<p id="message" role="status"></p>
<main id="status"></main>
<p><button id="forget" type="button" hidden>Forget the token</button></p>
<script>${SCRIPT}</script>
</body>
</html>
`;
