"""The default menu a district starts with: services the source text names, by platform."""

from __future__ import annotations

from datetime import timedelta

from civiloop_contracts.values import Platform, Specialty
from civiloop_requests.domain.catalogue import Catalogue, Category, Question, QuestionKind

_ATTENDEES = Question(code="attendees", label="预计参加人数 expected attendees",
                      kind=QuestionKind.NUMBER, required=True)
_MOBILITY = Question(code="mobility_needs", label="行动不便需上门 mobility needs",
                     kind=QuestionKind.YES_NO)
_STAGE = Question(code="stage", label="场地是否有舞台 is there a stage", kind=QuestionKind.YES_NO)
_LEGAL_TOPIC = Question(code="topic", label="咨询事项 matter", kind=QuestionKind.CHOICE,
                        required=True, choices=("family", "labour", "land", "contract", "other"))

_DAY = timedelta(days=1)


def _c(code: str, zh: str, en: str, platform: Platform, specialty: Specialty, *,
       group: bool, days: float, questions: tuple[Question, ...] = ()) -> Category:
    """One menu line; group activities always ask how many people will come."""
    if group:
        questions = (_ATTENDEES, *questions)
    return Category(code=code, name_zh=zh, name_en=en, platform=platform, specialty=specialty,
                    group_activity=group, accept_within=_DAY * days, questions=questions)


_T, _E, _C, _S, _F = (Platform.THEORY, Platform.EDUCATION, Platform.CULTURE, Platform.SCIENCE,
                      Platform.FITNESS)
_P, _L, _M = Specialty.PARTY_MEMBERS, Specialty.LAW, Specialty.MEDICINE_HEALTH
_H, _A, _K = Specialty.CULTURE_HERITAGE, Specialty.CULTURE_SPORT, Specialty.SCIENCE_TECH

# Individual services get a short deadline (someone is waiting at home); group activities
# are planned days ahead, so their teams get longer to accept.
DEFAULT_MENU = Catalogue(categories=(
    _c("policy_lecture", "理论政策宣讲", "Theory and policy lecture", _T, _P, group=True, days=3),
    _c("party_member_service", "党员志愿服务", "Party-member volunteer service", _T, _P,
       group=False, days=1),
    _c("legal_publicity", "法治宣传", "Legal publicity", _E, _L, group=True, days=3),
    _c("legal_aid", "法律援助咨询", "Legal aid consultation", _E, _L, group=False, days=1,
       questions=(_LEGAL_TOPIC,)),
    _c("family_tradition_story", "家风家训故事会", "Family-tradition story telling", _E, _H,
       group=True, days=3),
    _c("cultural_performance", "文艺演出", "Cultural performance", _C, _A, group=True, days=7,
       questions=(_STAGE,)),
    _c("elderly_home_visit", "敬老院慰问", "Elderly-home visit", _C, _H, group=True, days=3),
    _c("free_clinic", "义诊", "Free clinic", _S, _M, group=True, days=3,
       questions=(_MOBILITY,)),
    _c("health_education", "健康教育讲座", "Health education talk", _S, _M, group=True, days=3),
    _c("home_health_check", "上门健康检查", "Health check at home", _S, _M, group=False,
       days=1, questions=(_MOBILITY,)),
    _c("science_knowledge", "科普知识讲座", "Science knowledge talk", _S, _K, group=True,
       days=3),
    _c("farming_tech_advice", "农牧技术指导", "Farming and herding advice", _S, _K, group=False,
       days=2),
    _c("fitness_guidance", "全民健身指导", "Fitness guidance", _F, _A, group=True, days=3),
    _c("square_dance_class", "广场舞教学", "Square-dance class", _F, _A, group=True, days=3),
))
