// Chinese first, English on a tap (the stats dashboard's model); the choice is remembered.
import { createI18n } from "vue-i18n";
import en from "./locales/en";
import zh from "./locales/zh";
import type { Problem } from "./api/errors";
import { SERVICE_WORDS_ZH } from "./locales/service-words";

export type Lang = "zh" | "en";
// globalThis: the unit tests run these modules in node, which has no storage or document.
const saved = globalThis.localStorage?.getItem("lang");
const start: Lang = saved === "en" ? "en" : "zh";

export const i18n = createI18n({
  legacy: false, locale: start, fallbackLocale: "zh", messages: { zh, en },
  missingWarn: false, fallbackWarn: false,
});
if (globalThis.document) document.documentElement.lang = start === "zh" ? "zh-CN" : "en";

export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  localStorage.setItem("lang", lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

export const lang = (): Lang => i18n.global.locale.value as Lang;

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values);

/** A field problem in the reader's language: a known kind in their words, else the service's. */
export function describe(problem: Problem): string {
  const ctx = problem.ctx ?? {};
  const empty = ["too_short", "string_too_short"].includes(problem.type) && Number(ctx.min_length) === 1;
  const key = empty ? "problem.missing" : `problem.${problem.type}`;
  if (problem.type !== "refused" && problem.type !== "value_error" && i18n.global.te(key)) return t(key, ctx);
  return (lang() === "zh" && SERVICE_WORDS_ZH[problem.msg]) || problem.msg;
}
