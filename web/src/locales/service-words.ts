// What the services say in English, as a Chinese reader reads it. A message not listed here
// is shown as the service wrote it (it always names the field and the reason).
export const SERVICE_WORDS_ZH: Record<string, string> = {
  "end must be after start": "结束时间要晚于开始时间",
  "not an 11-digit mainland mobile number": "请输入 11 位手机号码",
  "free text holds an unmasked phone number; mask it first": "这里不能填写电话号码",
  "free text must be under 2000 characters and hold no phone number": "最多 2000 字，且不能填写电话号码",
  "choose at least one service or write what you need": "请至少选择一项服务，或写下您的需求",
  "code: not this activity's check-in code": "签到码不对，请核对活动现场公布的 6 位数字",
  "not this activity's check-in code": "签到码不对，请核对活动现场公布的 6 位数字",
  "a reopen needs the reason the order is served again": "重新服务需要写明原因",
};
