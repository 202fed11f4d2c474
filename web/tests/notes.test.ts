import { describe, expect, it } from "vitest";
import { scoreNote, stepNote } from "../src/notes";

describe("a score note", () => {
  it("reads in Chinese for a Chinese reader", () => {
    expect(scoreNote("specialty law", "zh")).toBe("专长：法律");
    expect(scoreNote("platform science not served", "zh")).toBe("平台：科技与科普（不对口）");
    expect(scoreNote("same institute", "zh")).toBe("同一实践所");
    expect(scoreNote("0 of 3 orders open", "zh")).toBe("在办 0/3 单");
    expect(scoreNote("last assigned 2.5 days ago", "zh")).toBe("2.5 天前派过单");
    expect(scoreNote("1 past declines", "zh")).toBe("婉拒过 1 次");
  });
  it("stays as written when it is a dispatcher's own words or the reader reads English", () => {
    expect(scoreNote("居民点名要钱律师", "zh")).toBe("居民点名要钱律师");
    expect(scoreNote("specialty law", "en")).toBe("specialty law");
  });
});

describe("a timeline note", () => {
  it("drops ids a person cannot use and reads in the reader's language", () => {
    expect(stepNote("assignment as-21a0f5f93c (attempt 2)", "zh")).toBe("第 2 次派单");
    expect(stepNote("assignment as-21a0f5f93c (attempt 2)", "en")).toBe("attempt 2");
    expect(stepNote("assignment as-21a0f5f93c", "zh")).toBe("");
    expect(stepNote("2 served", "zh")).toBe("服务 2 人");
    expect(stepNote("declined: too_far", "zh")).toBe("婉拒：距离太远");
    expect(stepNote("station → institute: no_candidate", "zh")).toBe("从站上报到所");
    expect(stepNote("家里人已经带老人去医院了", "zh")).toBe("家里人已经带老人去医院了");
    expect(stepNote(null, "zh")).toBe("");
    expect(stepNote("no taker at centre after 0 attempts", "zh")).toBe("中心级派单 0 次无人接单");
    expect(stepNote("from needs survey svy-23afa8796b754490", "zh")).toBe("来自需求调查");
  });
});
