// The stats dashboard: the public board without a token; with one, the caller's part of the
// tree, its trend, drill-down, satisfaction and demand tables. Every number comes from the
// same API (and the same query) as the JSON and CSV exports.
"use strict";

const API = location.pathname.replace(/\/dashboard\/?$/, "");
const HEADLINE = ["registered_volunteers", "registration_rate", "organisations", "teams",
  "activities_held", "people_served", "service_hours", "hours_per_registered_volunteer",
  "orders_placed", "orders_completed", "average_stars", "honours"];
const FAIRNESS = ["orders_placed", "orders_completed", "dispatch_median_min", "accept_median_min",
  "average_stars", "share_4_5_stars", "share_unrated", "open_follow_ups"];
const RATES = new Set(["registration_rate", "share_4_5_stars", "share_unrated"]);
const WORDS = {
  zh: { title: "新时代文明实践数据看板", as_of: "截至", login: "登录", logout: "退出", token: "访问令牌",
    sign_in: "确定", glance: "全区概况", trend: "月度趋势", drill: "下级单位（点击查看）",
    satisfaction: "满意度与公平", demand: "需求排行", board: "善行义举榜", csv: "导出CSV",
    footer: "数据来自系统事件，实时计算", definitions: "指标定义", unit: "单位", period: "月份",
    title_col: "称号", level: "级别", year: "年度", station: "站点", rank: "排名", need: "需求",
    answers: "选择人次", honours: "人数", error: "无法加载：" },
  en: { title: "Civilization Practice Dashboard", as_of: "As of", login: "Sign in", logout: "Sign out",
    token: "Access token", sign_in: "OK", glance: "District at a glance", trend: "Monthly trend",
    drill: "Units below (tap to open)", satisfaction: "Satisfaction and fairness",
    demand: "Demand ranking", board: "Good-deeds board", csv: "Export CSV",
    footer: "Computed live from the system's events", definitions: "Figure definitions",
    unit: "Unit", period: "Month", title_col: "Title", level: "Level", year: "Year",
    station: "Station", rank: "Rank", need: "Need", answers: "Picks", honours: "People",
    error: "Could not load: " },
};
const HONOUR = {
  moral_model: ["道德模范", "Moral model"], good_person: ["身边好人", "Good person nearby"],
  virtuous_youth: ["美德少年", "Virtuous youth"], filial_youth: ["全国孝心少年", "Filial youth"],
  civilised_herder: ["文明农牧民", "Civilised farmer/herder"], lei_feng: ["学雷锋标兵", "Lei Feng model"],
  national: ["国家级", "National"], provincial: ["省级", "Provincial"], city: ["市级", "City"],
  district: ["区级", "District"],
};

const state = { lang: localStorage.getItem("lang") || "zh", token: sessionStorage.getItem("token"),
  unit: null, asOf: "", defs: {}, units: {}, charts: {} };
const $ = (id) => document.getElementById(id);
const w = (key) => WORDS[state.lang][key] || key;
const label = (key) => (state.defs[key] ? state.defs[key][state.lang] : key);
const honourWord = (code) => (HONOUR[code] ? HONOUR[code][state.lang === "zh" ? 0 : 1] : code);

function fmt(key, value) {
  if (value === null || value === undefined) return "—";
  if (RATES.has(key)) return (value * 100).toFixed(1) + "%";
  return Number(value).toLocaleString(state.lang === "zh" ? "zh-CN" : "en");
}

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const reply = await fetch(`${API}${path}?${query}`, { headers });
  if (!reply.ok) throw new Error(`${reply.status} ${(await reply.text()).slice(0, 200)}`);
  return reply;
}
const json = async (path, params) => (await api(path, params)).json();

function table(id, columns, rows, heads, onClick) {
  const head = "<tr>" + columns.map((c, i) => `<th>${heads[i]}</th>`).join("") + "</tr>";
  const body = rows.map((r) => `<tr${onClick ? ' class="link"' : ""} data-unit="${r.unit || ""}">` +
    columns.map((c) => `<td>${c in state.defs ? fmt(c, r[c]) : escape(r[c])}</td>`).join("") + "</tr>");
  $(id).innerHTML = head + body.join("");
  if (onClick) $(id).querySelectorAll("tr.link").forEach((tr) => tr.addEventListener("click", () => onClick(tr.dataset.unit)));
}
const escape = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function headline(figures, unitName) {
  $("tiles").innerHTML = HEADLINE.filter((k) => k in figures).map((k) =>
    `<div class="tile" data-key="${k}"><div class="value">${fmt(k, figures[k])}</div>` +
    `<div class="label">${label(k)}</div></div>`).join("");
  const f = (k) => fmt(k, figures[k]);
  $("sentence").textContent = state.lang === "zh"
    ? `${unitName}注册志愿者${f("registered_volunteers")}人，占常住人口${f("registration_rate")}；志愿服务组织${f("organisations")}个、志愿服务队${f("teams")}支；累计开展文明实践活动${f("activities_held")}场，服务群众${f("people_served")}人次；人均志愿服务时长${f("hours_per_registered_volunteer")}小时。`
    : `${unitName}: ${f("registered_volunteers")} registered volunteers (${f("registration_rate")} of residents), ${f("organisations")} organisations and ${f("teams")} teams; ${f("activities_held")} activities held, ${f("people_served")} people served; ${f("hours_per_registered_volunteer")} service hours per registered volunteer.`;
}

function chart(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  const scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };  // counts: whole numbers
  // No animation: a figure is shown at its value at once (and screenshots show what is true).
  state.charts[id] = new Chart($(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, scales, ...config.options } });
}

function honours(counts, board) {
  const titles = [...new Set(counts.map((r) => r.title))];
  chart("honours-chart", { type: "bar", data: { labels: titles.map(honourWord), datasets: [{
    label: w("honours"), data: titles.map((t) => counts.filter((r) => r.title === t).reduce((s, r) => s + r.honours, 0)),
    backgroundColor: "#b3261e" }] }, options: { plugins: { legend: { display: false } } } });
  const rows = board.map((r) => ({ ...r, title: honourWord(r.title), level: honourWord(r.level),
    station: r.station_name || state.units[r.station]?.name || r.station }));
  table("board-table", ["title", "level", "year", "station"], rows,
    [w("title_col"), w("level"), w("year"), w("station")]);
}

async function showPublic() {
  const board = await json("/public/board", { as_of: state.asOf });
  $("unit-name").textContent = (state.lang === "en" && board.name_en) || board.name;
  headline(board.headline, state.lang === "zh" ? "全区" : "The district");
  honours(board.honours, board.board);
  ["trend-card", "units-card", "satisfaction-card", "demand-card"].forEach((id) => ($(id).hidden = true));
  $("crumbs").innerHTML = "";
}

function crumbs(code) {
  const chain = [];
  for (let u = state.units[code]; u; u = state.units[u.parent]) chain.unshift(u);
  $("crumbs").innerHTML = chain.map((u) => `<a data-unit="${u.code}">${escape(unitName(u))}</a>`).join(" › ");
  $("crumbs").querySelectorAll("a").forEach((a) => a.addEventListener("click", () => open(a.dataset.unit)));
}
const unitName = (u) => (state.lang === "en" && u.name_en) || u.name;

async function showUnit() {
  const params = { unit: state.unit, as_of: state.asOf };
  const figures = await json("/figures", params);
  state.unit = figures.unit;
  const unit = state.units[state.unit];
  $("unit-name").textContent = unit ? unitName(unit) : state.unit;
  crumbs(state.unit);
  headline(figures.figures, unit ? unitName(unit) : "");
  const since = new Date(figures.as_of); since.setMonth(since.getMonth() - 11); since.setDate(1);
  const [trend, children, demand, counts, board] = await Promise.all([
    json("/tables/trend", { ...params, grain: "month", since: since.toISOString().slice(0, 10) }),
    json("/tables/units", params), json("/tables/survey-demand", params),
    json("/tables/honours", params), json("/tables/honour-board", params)]);
  chart("trend-chart", { type: "line", data: { labels: trend.rows.map((r) => r.period), datasets: [
    { label: label("orders_placed"), data: trend.rows.map((r) => r.orders_placed), borderColor: "#b3261e" },
    { label: label("orders_completed"), data: trend.rows.map((r) => r.orders_completed), borderColor: "#1e6bb3" },
    { label: label("activities_held"), data: trend.rows.map((r) => r.activities_held), borderColor: "#2e7d32" }] } });
  const rows = children.rows.map((r) => ({ ...r, unit: r.unit, name: unitName(state.units[r.unit] || r) }));
  table("units-table", ["name", "registered_volunteers", "registration_rate", "orders_placed", "orders_completed", "service_hours", "hours_per_registered_volunteer"],
    rows, [w("unit"), ...["registered_volunteers", "registration_rate", "orders_placed", "orders_completed", "service_hours", "hours_per_registered_volunteer"].map(label)], open);
  table("satisfaction-table", ["name", ...FAIRNESS], rows, [w("unit"), ...FAIRNESS.map(label)]);
  table("demand-table", ["station", "rank", "label", "answers"], demand.rows.map((r) => ({ ...r,
    station: state.units[r.station]?.name || r.station })), [w("station"), w("rank"), w("need"), w("answers")]);
  honours(counts.rows, board.rows);
  $("trend-card").hidden = false; $("demand-card").hidden = false;
  $("units-card").hidden = $("satisfaction-card").hidden = rows.length === 0;
}

async function open(code) { state.unit = code || null; await render(); }

async function render() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = w(el.dataset.i18n)));
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  $("login").textContent = state.token ? w("logout") : w("login");
  try {
    if (state.token) await showUnit(); else await showPublic();
    document.body.dataset.ready = "yes";
  } catch (err) {
    $("sentence").textContent = w("error") + err.message;
  }
}

async function downloadCsv(name) {
  const reply = await api(`/tables/${name}`, { unit: state.unit, as_of: state.asOf, format: "csv" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await reply.blob());
  link.download = `${name}.csv`;
  link.click();
}

async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("token")) { state.token = hash.get("token"); sessionStorage.setItem("token", state.token); }
  if (hash.get("lang")) state.lang = hash.get("lang");
  state.asOf = hash.get("as_of") || "";
  history.replaceState(null, "", location.pathname);  // keep the token out of the address bar
  $("as-of").value = state.asOf;
  state.defs = Object.fromEntries((await json("/definitions")).map((d) => [d.key, d]));
  if (state.token) {
    try { (await json("/units")).forEach((u) => (state.units[u.code] = u)); }
    catch { state.token = null; sessionStorage.removeItem("token"); }
  }
  $("as-of").addEventListener("change", () => { state.asOf = $("as-of").value; render(); });
  $("lang").addEventListener("click", () => { state.lang = state.lang === "zh" ? "en" : "zh"; localStorage.setItem("lang", state.lang); render(); });
  $("login").addEventListener("click", () => {
    if (state.token) { state.token = null; sessionStorage.removeItem("token"); render(); }
    else $("token-form").hidden = false;
  });
  $("token-form").addEventListener("submit", async (e) => {
    e.preventDefault(); state.token = $("token").value.trim(); sessionStorage.setItem("token", state.token);
    $("token-form").hidden = true;
    (await json("/units")).forEach((u) => (state.units[u.code] = u));
    render();
  });
  document.querySelectorAll("button.csv").forEach((b) => b.addEventListener("click", () => downloadCsv(b.dataset.table)));
  await render();
}

document.addEventListener("DOMContentLoaded", start);
