import { describe, expect, it } from "vitest";
import { type Titles, titleName } from "../src/api/honours";

const TITLES: Titles = { titles: { good_person: "身边好人", lei_feng: "学雷锋志愿服务四个优秀" },
  lei_feng_kinds: { volunteer: "最美志愿者" }, district_titles: ["北疆楷模"], notice_days: 7 };

describe("titleName", () => {
  it("names one of the six titles", () => {
    expect(titleName(TITLES, { title: "good_person", lei_feng_kind: null, district_title: null })).toBe("身边好人");
  });
  it("adds the 学雷锋 kind", () => {
    expect(titleName(TITLES, { title: "lei_feng", lei_feng_kind: "volunteer", district_title: null }))
      .toBe("学雷锋志愿服务四个优秀·最美志愿者");
  });
  it("uses the district's own title as it is", () => {
    expect(titleName(TITLES, { title: "district", lei_feng_kind: null, district_title: "北疆楷模" })).toBe("北疆楷模");
  });
  it("shows the code before the titles are loaded", () => {
    expect(titleName(null, { title: "good_person", lei_feng_kind: null, district_title: null })).toBe("good_person");
  });
});
