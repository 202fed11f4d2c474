// The service menu (requests' /menu), loaded once: category names, platforms, questions.
import { reactive } from "vue";
import { REQUESTS, api } from "../api/http";
import type { Category } from "../api/types";
import { lang } from "../i18n";

export const PLATFORMS = ["theory", "education", "culture", "science", "fitness"] as const;
export const menu = reactive({ categories: [] as Category[], loaded: false, failed: null as string | null });
let loading: Promise<void> | null = null;

export function loadMenu(): Promise<void> {
  loading ??= api<Category[]>(`${REQUESTS}/menu`).then((list) => {
    menu.categories = list;
    menu.loaded = true;
    menu.failed = null;
  }).catch((error: unknown) => { menu.failed = String(error); loading = null; });
  return loading;
}

export function category(code: string): Category | undefined {
  return menu.categories.find((c) => c.code === code);
}

/** A category's name in the reader's language, else its code. */
export function categoryName(code: string): string {
  const found = category(code);
  if (!found) return code;
  return lang() === "en" ? found.name_en : found.name_zh;
}

/** A question's label in the reader's language: menus write "中文 English" in one label. */
export function questionLabel(label: string): string {
  const both = /^([^A-Za-z]+?)\s+([A-Za-z].*)$/.exec(label);
  if (!both) return label;
  return lang() === "en" ? both[2] : both[1];
}
