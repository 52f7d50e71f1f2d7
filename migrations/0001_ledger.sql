-- 0001: the consolidated ledger's tables.
--
-- Every verified event of every station a township or county holds, one row per event, keyed
-- by (station_id, seq) like the ledger itself, with its canonical bytes and hashes (so anyone
-- can re-check the chain from PostgreSQL alone) and typed columns for what the reports need.
-- The typed columns are filled by one Rust function (src/publish/rows.rs); a column that does
-- not apply to an event's kind is NULL. Every table is keyed by station_id first, so that
-- Citus can distribute and colocate them on it (docs/scale.md).
--
-- Migrations are applied in order, each once, and recorded in schema_migrations with a
-- checksum; a file is never edited after it has shipped: a change is a new file.

create table stations (
    station_id          text primary key,
    name                text not null default '',
    role                text not null default '',      -- 'village' | 'township'
    published_by        text not null,                 -- the ledger that last published it
    head_seq            bigint not null default 0,     -- events held here: 1..head_seq
    head_hash           bytea not null,                -- hash of event head_seq (32 zero bytes: none)
    last_event_ms       bigint,                        -- newest event time, UTC ms (its clock)
    key_active          boolean,                       -- on the publisher's roster, key in force
    key_revoked_from_ms bigint,                        -- its last key was revoked from then
    last_sync_ms        bigint,                        -- publisher's clock: last bundle that brought something new
    published_at        timestamptz not null default now(),
    check (octet_length(head_hash) = 32)
);

create table events (
    station_id      text not null,
    seq             bigint not null,
    time_ms         bigint not null,      -- UTC ms by the station's clock
    day             date not null,        -- China (UTC+8) calendar date of time_ms
    month           text not null,        -- e.g. 2026-03
    quarter         text not null,        -- e.g. 2026-Q1
    operator        text not null,
    kind            text not null,        -- the ledger's stable kind name: redeemed, score_entered…
    household_id    text,
    card_no         text,
    goods_id        text,
    quantity        bigint,               -- units received, shipped, adjusted (delta) or redeemed
    points          bigint,               -- points scored, confirmed, revoked, redeemed, voided, cleared
    score           bigint,
    period          text,                 -- scoring period (score and its award), closed date
    ref_seq         bigint,               -- the award or sale this event acts on
    year            integer,              -- year cleared
    budget_key      text,                 -- the budget a score counts against (month or quarter)
    budget_points   bigint,               -- that budget, by the policy in force at the score
    source          text,                 -- stock receipt: donation | purchase | transfer
    donor           text,
    fund            text,
    cost_fen        bigint,
    other_station   text,                 -- shipped/issued to, transferred from, enrolled/revoked
    supplier        text,                 -- goods definition: supplying merchant ('' none)
    zone_points     integer,              -- goods definition: points zone (NULL: donation zone)
    donation_zone   boolean,
    price_points    bigint,
    point_value_fen bigint,               -- policy: what one point is worth
    name            text,                 -- station, goods, household head or policy name
    role            text,                 -- station role (initialized or enrolled)
    note            text,                 -- reason of a void, revocation or adjustment; score note
    proxy           text,                 -- who collected for the household (代领)
    body            bytea not null,       -- canonical event bytes: hash = blake3(body)
    hash            bytea not null,
    prev_hash       bytea not null,
    primary key (station_id, seq),
    check (seq >= 1),
    check (octet_length(hash) = 32 and octet_length(prev_hash) = 32)
);

-- One row per line of a redemption, with the merchant paid for it (NULL: donated goods, not
-- paid) and its value at the point value in force at the sale.
create table sale_lines (
    station_id   text not null,
    seq          bigint not null,         -- the redemption event
    line_no      integer not null,
    day          date not null,
    quarter      text not null,
    goods_id     text not null,
    quantity     bigint not null,
    price_points bigint not null,
    points       bigint not null,
    supplier     text,
    value_fen    bigint,
    primary key (station_id, seq, line_no)
);

-- One row per household of a year-end clearing (一年一清).
create table clearing_lines (
    station_id   text not null,
    seq          bigint not null,         -- the year_cleared event
    line_no      integer not null,
    household_id text not null,
    points       bigint not null,
    primary key (station_id, seq, line_no)
);

-- Two versions of one (station, seq): refused bundles noted at the township, and chains that
-- disagree with what a publish found here. Never merged; a person decides.
create table forks (
    station_id  text not null,
    seq         bigint not null,
    held_hash   text not null,            -- hex: the version held (at the township, or here)
    other_hash  text not null,            -- hex: the other version
    found_by    text not null,            -- 'township' (a bundle refused at import) | 'publish'
    note        text not null default '',
    found_at    timestamptz not null default now(),
    primary key (station_id, seq, held_hash, other_hash)
);

-- Thresholds the views share with aixin's own reports, written by every publish from the
-- Rust constants, so each rule keeps one definition.
create table rules (
    name  text primary key,
    value bigint not null
);

-- "Now" for the views: the session setting aixin.now_ms if set (tests, or a report as of a
-- given time), else the server's clock.
create function aixin_now_ms() returns bigint
language sql stable
as $$
    select coalesce(
        nullif(current_setting('aixin.now_ms', true), '')::bigint,
        (extract(epoch from now()) * 1000)::bigint)
$$;
