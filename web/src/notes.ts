// The dispatch service writes each score term's note in English; Chinese readers get theirs.
const SPECIALTY: Record<string, string> = { party_members: "党员", science_tech: "科技", law: "法律",
  medicine_health: "医疗卫生", culture_heritage: "文明传承", culture_sport: "文体" };
const PLATFORM: Record<string, string> = { theory: "理论宣讲", education: "教育服务", culture: "文化服务",
  science: "科技与科普", fitness: "健身体育" };
const FIXED: Record<string, string> = { "home station": "本站志愿者", "covers the station": "服务本站",
  "same institute": "同一实践所", "elsewhere in the district": "区内其他单位", "never assigned": "从未派过单" };
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^specialty (\w+)$/, (m) => `专长：${SPECIALTY[m[1]] ?? m[1]}`],
  [/^platform (\w+)( not served)?$/, (m) => `平台：${PLATFORM[m[1]] ?? m[1]}${m[2] ? "（不对口）" : ""}`],
  [/^(\d+) of (\d+) orders open$/, (m) => `在办 ${m[1]}/${m[2]} 单`],
  [/^last assigned ([\d.]+) days ago$/, (m) => `${m[1]} 天前派过单`],
  [/^(\d+) past declines?$/, (m) => `婉拒过 ${m[1]} 次`],
];

/** A score note in the reader's language (a dispatcher's own words stay as written). */
export function scoreNote(note: string, reader: string): string {
  if (reader !== "zh") return note;
  if (note in FIXED) return FIXED[note];
  for (const [pattern, say] of PATTERNS) {
    const match = pattern.exec(note);
    if (match) return say(match);
  }
  return note;
}
