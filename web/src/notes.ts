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

const LEVEL: Record<string, string> = { station: "站", institute: "所", centre: "中心" };
const DECLINE: Record<string, string> = { unavailable: "时间不方便", out_of_skill: "不擅长", too_far: "距离太远",
  overloaded: "任务太多", other: "其他" };
const STEP_NOTES: [RegExp, (m: RegExpExecArray, zh: boolean) => string][] = [
  // Assignment ids mean nothing to a person: say which attempt it was, or nothing.
  [/^assignment \S+ \(attempt (\d+)\)$/, (m, zh) => (zh ? `第 ${m[1]} 次派单` : `attempt ${m[1]}`)],
  [/^assignment \S+ expired$/, (_, zh) => (zh ? "超时未接单" : "not accepted in time")],
  [/^assignment \S+(, team (\S+))?$/, (m, zh) => (m[2] ? (zh ? `队伍 ${m[2]}` : `team ${m[2]}`) : "")],
  [/^(\d+) served$/, (m, zh) => (zh ? `服务 ${m[1]} 人` : `${m[1]} served`)],
  [/^(\d) stars?$/, (m, zh) => (zh ? `${m[1]} 星` : m[0])],
  [/^declined: (\w+)$/, (m, zh) => (zh ? `婉拒：${DECLINE[m[1]] ?? m[1]}` : m[0])],
  [/^(\w+) → (\w+): (\w+)$/, (m, zh) => (zh ? `从${LEVEL[m[1]] ?? m[1]}上报到${LEVEL[m[2]] ?? m[2]}` : `${m[1]} → ${m[2]}`)],
  [/^assigned to (\S+)$/, (m, zh) => (zh ? `交给 ${m[1]} 跟进` : m[0])],
  [/^from needs survey \S+$/, (_, zh) => (zh ? "来自需求调查" : "from a needs survey")],
  [/^no taker at (\w+) after (\d+) attempts$/, (m, zh) => (zh ? `${LEVEL[m[1]] ?? m[1]}级派单 ${m[2]} 次无人接单` : m[0])],
];

/** A timeline or follow-up note as a person reads it (ids dropped, Chinese for Chinese readers). */
export function stepNote(note: string | null, reader: string): string {
  if (!note) return "";
  for (const [pattern, say] of STEP_NOTES) {
    const match = pattern.exec(note);
    if (match) return say(match, reader === "zh");
  }
  return note;
}
