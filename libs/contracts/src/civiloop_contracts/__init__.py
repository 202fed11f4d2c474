"""civiloop's event contracts: the envelope, every payload model, the codec and the topics.

Importing the package registers every event type in ``REGISTRY``. Nothing here does I/O.
"""

from civiloop_contracts import events
from civiloop_contracts.codec import CONTENT_TYPE, KafkaRecord, decode, encode
from civiloop_contracts.envelope import Envelope, new_event_id, utcnow
from civiloop_contracts.masking import (
    MaskedContact,
    contains_mobile,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_ref,
)
from civiloop_contracts.payload import REGISTRY, ContractError, Payload, caused_by, make_event
from civiloop_contracts.topics import (
    CATALOGUE,
    DISPATCH,
    FEEDBACK,
    REQUESTS,
    STATION_INTAKE,
    VOLUNTEERS,
    Topic,
    all_topic_names,
    dlq_of,
)
from civiloop_contracts.values import (
    HonourLevel,
    HonourTitle,
    Platform,
    Role,
    Specialty,
    TimeWindow,
    UnitLevel,
    UnitRef,
)

__all__ = [
    "CATALOGUE", "CONTENT_TYPE", "DISPATCH", "FEEDBACK", "REGISTRY", "REQUESTS", "STATION_INTAKE",
    "VOLUNTEERS", "ContractError", "Envelope", "HonourLevel", "HonourTitle", "KafkaRecord",
    "MaskedContact", "Payload", "Platform", "Role", "Specialty", "TimeWindow", "Topic",
    "UnitLevel", "UnitRef", "all_topic_names", "caused_by", "contains_mobile", "decode",
    "dlq_of", "encode", "events", "make_event", "mask_id_number", "mask_name", "mask_phone",
    "mask_ref", "new_event_id", "utcnow",
]
