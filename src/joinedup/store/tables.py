"""The tables of the one store, as SQLAlchemy Core metadata.

Every table carries ``partnership``: a partnership is a tenant (a set of agencies that share under
one agreement) and nothing crosses partnerships. Every read and write goes through
:class:`joinedup.store.Store`, where the gate authorises and audits it.

JSON columns hold lists and maps that are read whole (evidence lists, features); anything that is
filtered or joined on is a real column with an index.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(64)

partnership = Table(
    "partnership",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("panel_lead", String(200)),  # the account overdue decisions are escalated to
)

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("accepted", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
)

report = Table(
    "report",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("org", String(300), nullable=False),
    Column("report_id", String(300), nullable=False),
    Column("version", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("profile", String(40), nullable=False),
    Column("agency", String(60), nullable=False),
    Column("reporter", String(300)),
    Column("informant_ref", String(300)),
    Column("derived", Boolean, nullable=False),
    Column("reported_at", DateTime(timezone=False), nullable=False),
    Column("occurred_from", Date),
    Column("occurred_to", Date),
    Column("body", JSON, nullable=False),
    Column("narrative", Text),
    Column("batch", Integer, ForeignKey("import_batch.id")),
    Column("line", Integer),
    # Null: the report's mentions, links and observations are its own fields (or it has none).
    # Else they were made from its narrative's proposals, which no person has applied, where
    # the profile counts those as weak evidence; the value is the SHA-256 of the fields they
    # made, so that a run remakes them only when a review changed what they make.
    Column("unconfirmed", String(64)),
    UniqueConstraint("partnership", "org", "report_id", "version"),
    Index(None, "partnership", "current", "reported_at"),
    # every incremental run asks which reports are unconfirmed: a few among a million
    Index(None, "partnership", "unconfirmed", sqlite_where=text("unconfirmed IS NOT NULL"),
          postgresql_where=text("unconfirmed IS NOT NULL")),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("batch", Integer, ForeignKey("import_batch.id")),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("field", String(300), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "partnership", "content_hash"),
)

# A mention is one thing a report names: a person, place, vehicle or phone, with the normalised
# features resolution compares. Vehicles and phones are mentioned through the person who has them.
mention = Table(
    "mention",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("report", Integer, nullable=False),
    Column("ref", String(300), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("role", String(40)),
    Column("label", String(300), nullable=False),
    Column("features", JSON, nullable=False),
    Index(None, "partnership", "kind"),
    Index(None, "report"),
)

# Links between mentions of one report: the report's own `links`, plus the implicit ones
# (a person has a phone, drives a vehicle, is mentioned in the same report as a child).
link = Table(
    "link",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("report", Integer, nullable=False),
    Column("src", Integer, nullable=False),
    Column("dst", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("explicit", Boolean, nullable=False),
    Index(None, "report"),
)

# Indicators as dated observations about one person of one report, so scores come from windows
# and observations from different agencies add up.
observation = Table(
    "observation",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("report", Integer, nullable=False),
    Column("mention", Integer),
    Column("indicator", String(80), nullable=False),
    Column("observed_at", Date, nullable=False),
    Index(None, "report"),
)

entity = Table(
    "entity",
    metadata,
    Column("id", ID, primary_key=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("kind", String(16), nullable=False),
    Column("label", String(300), nullable=False),
    Column("data", JSON, nullable=False),
    Index(None, "partnership", "kind"),
)

mention_entity = Table(
    "mention_entity",
    metadata,
    Column("mention", Integer, primary_key=True),  # a mention's pk: see DERIVED
    Column("partnership", ID, nullable=False),  # see BULK
    Column("entity", ID, nullable=False),
    Index(None, "entity"),
)

# Why two mentions were put together: the scored pair (match weight, the comparison levels that
# fired). Kept for every merge so it can be shown to the panel and undone.
merge_edge = Table(
    "merge_edge",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("a", Integer, nullable=False),  # mentions' pks: see DERIVED
    Column("b", Integer, nullable=False),
    Column("weight", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Index(None, "partnership", "a"),
    Index(None, "partnership", "b"),
)

# An analyst's judgement on a pair: confirm (must-link) or split (cannot-link). It sticks.
pair_decision = Table(
    "pair_decision",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("a", Integer, ForeignKey("mention.pk"), nullable=False),
    Column("b", Integer, ForeignKey("mention.pk"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# What the last resolution knew of each mention, so that a new report can be resolved against the
# store without rebuilding everything: its blocking keys, and its features with the relational
# ones (items, context, network, locality) as they were computed.
block_key = Table(
    "block_key",
    metadata,
    Column("partnership", ID, nullable=False),  # see BULK
    Column("key", String(400), nullable=False),
    Column("mention", Integer, nullable=False),  # a mention's pk: see DERIVED
    Index(None, "partnership", "key"),
)

resolved = Table(
    "resolved",
    metadata,
    Column("mention", Integer, primary_key=True),  # a mention's pk: see DERIVED
    Column("partnership", ID, nullable=False),  # see BULK
    Column("features", JSON, nullable=False),
)

corroboration = Table(
    "corroboration",
    metadata,
    Column("entity", ID, primary_key=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("informants", Integer, nullable=False),
    Column("agencies", JSON, nullable=False),
    Column("children", JSON, nullable=False),
    Column("first_at", DateTime),
    Column("last_at", DateTime),
    Column("reports", JSON, nullable=False),
)

alert = Table(
    "alert",
    metadata,
    Column("id", ID, primary_key=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("rule", String(80), nullable=False),
    Column("level", String(20), nullable=False),
    Column("subject", ID, nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("subject_label", String(300), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("agencies", JSON, nullable=False),
    Column("informants", Integer, nullable=False),
    Column("raised_by", Integer, ForeignKey("report.pk"), nullable=False),
    Column("raised_at", DateTime, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("unconfirmed", JSON),  # the evidence (report pks) nobody has checked; null as []
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Raised again after a withdrawal, over a decision: the decisions up to this one (its key)
    # are history, and the alert awaits a new one, its clock running from ``reraised_at``.
    # A pattern of harm that comes back is not hidden under what was decided before.
    Column("reraised_at", DateTime(timezone=True)),
    Column("reraised_after", Integer),
    UniqueConstraint("partnership", "rule", "subject"),
)

model_param = Table(
    "model_param",
    metadata,
    Column("partnership", ID, ForeignKey("partnership.id"), primary_key=True),
    Column("name", String(80), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Append-only and hash-chained: each entry holds the hash of the one before it.
audit = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # one chain for the whole database: no two entries follow one entry (a fork), whoever
    # writes (0013; a unique index, which SQLite adds without rebuilding the table)
    Index(None, "prev_hash", unique=True),
)

# Tables a resolution run derives from the mentions and rewrites whole name mentions by pk
# without a foreign key: on PostgreSQL the per-row check of a million index rows and the
# memberships was 15 s of a 100k-report run. They are only written from mentions just read, in
# the transaction that reads them; whatever removes mentions (retention) must remove these rows
# with them.
DERIVED = ("mention_entity", "merge_edge", "block_key", "resolved")
# The same for the incidents stage, whose rows name reports by pk.
DERIVED_FROM_REPORTS = ("incident_member", "incident_edge")

# Tables written by the hundred thousand rows (a report's mentions, links and observations, and
# everything a resolution run rewrites whole) name their partnership, report and mentions as
# plain columns, without foreign keys: on PostgreSQL a foreign key is a check per row (copying
# 1.1M index rows: 4.3 s with it, 0.4 s without), and at 1M reports these hold about 25M rows.
# Reports, import batches, quarantine, analysts' decisions and alerts keep theirs. Every row of
# these is written by the store, in the transaction of its report (from the validated report:
# a link's ends are mentions of that report) or of its run, with the store's own partnership;
# Store.orphans counts rows whose report or mention is missing, set by set, and tests assert none.
BULK = (
    "mention",
    "link",
    "observation",
    "entity",
    "mention_entity",
    "merge_edge",
    "block_key",
    "resolved",
    "corroboration",
    "incident",
    "incident_member",
    "incident_edge",
)


# What the panel decided on an alert (safeguarding.md R11: an action with an owner and a due
# date; R3: never closed as consent or lifestyle). Append-only: a later decision supersedes an
# earlier one, and the history stays.
decision = Table(
    "decision",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("alert", ID, ForeignKey("alert.id"), nullable=False),
    Column("action", String(60), nullable=False),
    Column("closes", Boolean, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due", Date),
    Column("rationale", Text, nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    # The report keys the alert rested on when the decision was recorded (its evidence and
    # the report that raised it): a retention review keeps them whatever the alert cites
    # later (migration 0016; decisions of before hold the evidence at that migration).
    Column("evidence", JSON),
    Index(None, "partnership", "alert"),
)

# The search index's documents: one per report version, the narrative with the names, aliases,
# places and plates the report gives. Filled as searches need it (Store.search catches up from
# the last report indexed), so that imports pay nothing for it. The full-text index over it is
# not SQLAlchemy metadata: an FTS5 table on SQLite, a GIN expression index on PostgreSQL
# (migration 0005; SEARCH_OBJECTS names them for the schema comparison).
search_doc = Table(
    "search_doc",
    metadata,
    Column("report", Integer, primary_key=True, autoincrement=False),
    Column("partnership", ID, nullable=False),
    Column("body", Text, nullable=False),
)
SEARCH_OBJECTS = frozenset(
    {
        "search_fts",
        "search_fts_data",
        "search_fts_idx",
        "search_fts_docsize",
        "search_fts_config",
        "ix_search_doc_fts",
    }
)

# Accounts of a partnership (the access issue): a role, the agency it belongs to where the role
# is scoped by agency, an argon2 password hash (none when sign-in is by OpenID Connect), and
# the failed sign-ins that lock it for a while. A web session that began before
# ``sessions_valid_after`` is refused (signing out ends every session of the account).
account = Table(
    "account",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("agency", String(300)),  # the organisation, as reports name it in source.org
    Column("password_hash", String(200)),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sessions_valid_after", DateTime(timezone=True)),  # None: no session refused
    UniqueConstraint("partnership", "name"),
)

# Tokens for system-to-system import: only their SHA-256 is kept; scoped, revocable, and
# refused after ``expires_at`` (None only for tokens issued before tokens expired).
api_token = Table(
    "api_token",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("account", Integer, ForeignKey("account.pk"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),
)

# Escalations (the access issue; safeguarding.md R1): an alert without a decision past its
# deadline, or an action past its due date, goes to the partnership's named panel lead, once
# for each deadline missed.
escalation = Table(
    "escalation",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("alert", ID, ForeignKey("alert.id"), nullable=False),
    Column("reason", String(20), nullable=False),  # decision or action
    Column("due", String(40), nullable=False),  # the deadline missed, ISO 8601
    Column("lead", String(200), nullable=False),
    Column("escalated_by", String(200), nullable=False),
    Column("escalated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("partnership", "alert", "reason", "due"),
)

# What the extract stage read in a report's narrative, for a person to confirm (free-text
# reports): the span, the normalised value, the role, how sure the rule is and which rule; and
# the review: proposed, accepted, edited (with the value given) or rejected, by whom, when.
proposal = Table(
    "proposal",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("report", Integer, ForeignKey("report.pk"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("role", String(40)),
    Column("confidence", Float, nullable=False),
    Column("rule", String(80), nullable=False),
    Column("attrs", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("edited_value", Text),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", DateTime(timezone=True)),
    Index("ix_proposal_report", "report"),
)

# Incidents (the conflict profile): the reports of one event merged, graded and counted. A run of
# the incidents stage rewrites these whole from the current reports, as a resolution run does
# entities; an incident's id is named after its earliest report, so alerts and decisions keep
# pointing at it across runs. ``data`` holds what is read whole: both grades with the rules that
# fired, the independent sources, casualty ranges with the reports behind them, victims, actors.
incident = Table(
    "incident",
    metadata,
    Column("id", ID, primary_key=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("label", String(300), nullable=False),
    Column("certainty", String(20), nullable=False),
    Column("attribution", String(20), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(20)),
    Column("mechanism", String(40)),
    # what a list, a map and the figures show, as columns: reading ``data`` for every incident
    # of a large store (15,000 from UCDP Syria) costs seconds, these a few milliseconds
    Column("targets", Text, nullable=False),  # space-separated target ids
    Column("place", String(300), nullable=False),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("report_count", Integer, nullable=False),
    Column("source_count", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Index(None, "partnership", "date_start"),
)

# Which incident each current report belongs to (a report's pk: see DERIVED).
incident_member = Table(
    "incident_member",
    metadata,
    Column("report", Integer, primary_key=True, autoincrement=False),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("incident", ID, nullable=False),
    Index(None, "incident"),
)

# Why two reports were merged (``merge``), or might have been (``contender``: a runner-up, a
# country-level report never merged by itself) or describe one episode over several days
# (``episode``: linked, not merged): the score and its reasons, to show and to undo.
incident_edge = Table(
    "incident_edge",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, nullable=False),  # see BULK
    Column("a", Integer, nullable=False),  # reports' pks: see DERIVED
    Column("b", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Index(None, "a"),
    Index(None, "b"),
)

# An analyst's word on two reports: one event (confirm) or two (split). Kept by the reports'
# (org, id), not their pks, so it holds for later versions, and respected by every later run.
incident_decision = Table(
    "incident_decision",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("a_org", String(300), nullable=False),
    Column("a_id", String(300), nullable=False),
    Column("b_org", String(300), nullable=False),
    Column("b_id", String(300), nullable=False),
    Column("decision", String(16), nullable=False),  # confirm (one event) or split (two)
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Evidence items (photos, videos, satellite images, documents) a report cites, with the SHA-256
# the source gave or the store computed, and where the store holds its own copies (Berkeley
# Protocol: an original and a working copy, each hashed).
evidence_item = Table(
    "evidence_item",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    Column("report", Integer, ForeignKey("report.pk"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("sha256", String(64)),
    Column("url", Text),
    Column("path", Text),
    Column("original", Text),  # the store's preserved original, once collected
    Column("working", Text),  # the copy people may open
    Index(None, "report"),
    Index(None, "sha256"),
)

# The chain of custody of each evidence item: collected, hashed, copied, transferred, verified
# (or failed verification), by whom, when, and the hash seen. Each entry is also in the audit
# log, whose hash chain makes the history tamper-evident.
custody = Table(
    "custody",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("partnership", ID, ForeignKey("partnership.id"), nullable=False),
    # removed with its item only (migration 0015): the app role may not delete an entry
    Column("evidence", Integer, ForeignKey("evidence_item.pk", ondelete="CASCADE"),
           nullable=False),
    Column("action", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("sha256", String(64)),
    Column("detail", JSON, nullable=False),
    Index(None, "evidence"),
)
