-- 0003: the rules at the boundaries (PRODUCT.md): stock lots, credit years, till sessions and
-- clock events, and the views that read them, giving the same numbers as the township's own
-- reports (src/report/lots.rs, donations.rs, settlement.rs, day.rs, township.rs; compared row
-- by row in tests/publish.rs).
--
-- Rules stay in the domain. The side tables hold what the domain decided, filled by one Rust
-- function (src/publish/rows.rs): which lots each sale, loss and shipment took (the event's own
-- list, or the split the ledger kept for an event written before lots), who is owed for each
-- lot (domain::lots::LotOrigin), how each award, sale, void and year-end clearing changed each
-- household's credit of each year (booked by domain::credit exactly as the ledger books it),
-- and each till session's Z report as frozen when it was closed. The views only add up.

-- The time an event refers to: clock_corrected, the latest time a fast clock gave an entry
-- (fast_until_ms); clock_confirmed, the entry before the long gap the manager confirmed
-- (last_ms). UTC ms.
alter table events add column ref_ms bigint;

-- A village acknowledged an event of the publisher's chain that the publisher holds in another
-- version (the publisher was restored from an old backup): that seq, as the publisher's sync
-- records say. NULL: none.
alter table stations add column ack_mismatch_seq bigint;

comment on column stations.last_event_ms is
    'the station''s last time as its ledger keeps it (UTC ms): its newest event''s time, or the real time its last clock correction stated';

comment on column events.source is
    'stock receipt: donation | purchase | transfer (old, origin unknown) | supply | shipment; stocktake gain: stocktake';
comment on column events.supplier is
    'goods definition: the catalog''s merchant, only the default for a new supply lot; stock receipt: the merchant owed for its units (supply, or a shipment of supplied units)';
comment on column events.donor is
    'stock receipt: the donor of donated units (a donation, or a shipment of donated units)';
comment on column events.other_station is
    'shipped or issued to, transferred or shipped from, enrolled or revoked';

-- Views take a table's columns when they are made: `villages` again, with the new one.
create or replace view villages as
select * from stations where role = 'village';

-- Voids are few; the views that leave voided sales out look them up by the sale.
create index events_voids on events (station_id, ref_seq) where kind = 'sale_voided';

-- One row per lot: every stock receipt, and every stocktake gain, is a lot named by the seq of
-- the event that brought it in. A shipment from the township keeps its origin: donated units
-- stay donated, a merchant's stay payable to that merchant.
create table lots (
    station_id   text not null,
    lot_seq      bigint not null,         -- the stock_received or stock_adjusted (gain) event
    goods_id     text not null,
    day          date not null,           -- China date received
    units        bigint not null,         -- units that came in
    source       text not null,           -- donation | purchase | transfer | supply | shipment | stocktake
    origin       text not null,           -- who is owed: merchant | donated | fund | township | stocktake
    owed_to      text not null,           -- the merchant, donor, fund or sending station ('' for stocktake)
    from_station text,                    -- shipment or old transfer: the station that sent it
    primary key (station_id, lot_seq),
    check (units > 0)
);

-- Units an event took from a lot: a sale (first in, first out per item), a stocktake loss
-- (oldest lots first) or a township shipment. A void puts a sale's units back: the views leave
-- voided sales' takes out (live_lot_takes). A sale's takes carry their points and what those
-- are worth at the point value in force at the sale.
create table lot_takes (
    station_id   text not null,
    seq          bigint not null,         -- the taking event
    line_no      integer not null,
    taken_by     text not null,           -- sale | loss | shipment
    goods_id     text not null,
    lot_seq      bigint not null,         -- the lot (lots.lot_seq of the same station)
    units        bigint not null,
    day          date not null,           -- China date of the taking event
    quarter      text not null,           -- e.g. 2026-Q1, of the taking event
    price_points bigint,                  -- sale: price per unit
    points       bigint,                  -- sale: units × price
    value_fen    bigint,                  -- sale: points × point value in force at the sale
    primary key (station_id, seq, line_no),
    check (units > 0)
);

-- How one event changed one household's credit of one year (PRODUCT.md, "Credit belongs to a
-- year"): a confirmed award adds to its scoring period's year (and is cleared at once if that
-- year is already cleared); a sale spends the oldest years first; a void gives each year back
-- what the sale took, and what would return to a cleared year stays cleared; a year-end
-- clearing clears the oldest years first. Summed per household and year:
-- remaining = awarded - spent - cleared.
create table credit_lines (
    station_id   text not null,
    seq          bigint not null,         -- award_confirmed | redeemed | sale_voided | year_cleared
    line_no      integer not null,
    day          date not null,           -- China date of the event
    month        text not null,           -- e.g. 2026-03, of the event
    household_id text not null,
    year         integer not null,        -- the credit year
    awarded      bigint not null,
    spent        bigint not null,         -- negative for a void
    cleared      bigint not null,
    primary key (station_id, seq, line_no)
);

-- One row per closed till session (日结, the Z report): every event since the previous close,
-- numbered per station whatever the calendar says, with the totals frozen at the close. An
-- old calendar-day close (day_closed) is read as the close of the session open then.
create table till_sessions (
    station_id       text not null,
    session_no       bigint not null,     -- Z1, Z2, … per station
    first_seq        bigint not null,     -- its events: first_seq..last_seq (0, 0: none)
    last_seq         bigint not null,
    first_ms         bigint not null,     -- time of its first event, UTC ms (0: none)
    closed_seq       bigint not null,     -- the closing event
    closed_ms        bigint not null,
    sales            bigint not null,
    points_spent     bigint not null,     -- gross, before voids
    voids            bigint not null,
    points_voided    bigint not null,
    units_sold       bigint not null,     -- net of voids
    units_received   bigint not null,
    scores_entered   bigint not null,
    points_confirmed bigint not null,
    events           bigint not null,
    primary key (station_id, session_no)
);

-- Bundles a township holds because earlier events are missing (a gap), as it held them at its
-- latest publish (each publish replaces the rows it wrote before).
create table held_bundles (
    station_id text not null,             -- the sender
    file       text not null,             -- the file in the township's held/ folder
    first_seq  bigint not null,
    last_seq   bigint not null,
    held_by    text not null,             -- the township that holds it
    primary key (station_id, file)
);

insert into rules (name, value) values ('future_tolerance_ms', 86400000)
on conflict (name) do nothing;

-- A time as the township prints it: China local date and time, YYYY-MM-DD HH24:MI.
create function aixin_local(ms bigint) returns text
language sql stable
as $$
    select to_char(to_timestamp((ms / 1000)::double precision) at time zone interval '+08:00',
                   'YYYY-MM-DD HH24:MI')
$$;

-- Each item as last defined.
create view goods_catalog as
select distinct on (station_id, goods_id)
    station_id, goods_id, name, price_points, supplier, zone_points, donation_zone
from events
where kind = 'goods_defined'
order by station_id, goods_id, seq desc;

-- Lot takes still standing: losses, shipments, and sales never voided (however late the void).
create view live_lot_takes as
select t.*
from lot_takes t
where t.taken_by <> 'sale'
   or not exists (
    select 1 from events v
    where v.station_id = t.station_id and v.kind = 'sale_voided' and v.ref_seq = t.seq
);

-- The lot ledger (report::lot_ledger): every lot with where its units went. For every lot,
-- received = redeemed + lost + shipped + in stock.
create view lot_ledger as
select l.station_id, l.lot_seq, l.goods_id, l.day, l.source, l.origin, l.owed_to, l.from_station,
    l.units as received_units,
    coalesce(t.redeemed, 0) as redeemed_units,
    coalesce(t.lost, 0) as lost_units,
    coalesce(t.shipped, 0) as shipped_units,
    l.units - coalesce(t.redeemed, 0) - coalesce(t.lost, 0) - coalesce(t.shipped, 0)
        as in_stock_units
from lots l
left join (
    select station_id, lot_seq,
        (sum(units) filter (where taken_by = 'sale'))::bigint as redeemed,
        (sum(units) filter (where taken_by = 'loss'))::bigint as lost,
        (sum(units) filter (where taken_by = 'shipment'))::bigint as shipped
    from live_lot_takes
    group by station_id, lot_seq
) t on t.station_id = l.station_id and t.lot_seq = l.lot_seq;

-- Stock per station and item by source and origin: how many lots, units received, where they
-- went, and what is on the shelf.
create view lots_by_source as
select station_id, goods_id, source, origin, owed_to,
    count(*) as lots,
    sum(received_units)::bigint as received_units,
    sum(redeemed_units)::bigint as redeemed_units,
    sum(lost_units)::bigint as lost_units,
    sum(shipped_units)::bigint as shipped_units,
    sum(in_stock_units)::bigint as in_stock_units
from lot_ledger
group by station_id, goods_id, source, origin, owed_to;

-- The donation ledger (捐赠台账, report::donation_report): every donated lot (shipments of
-- donated goods included), how much households redeemed and what is left, valued in points at
-- the item's current price.
create view donations as
select d.station_id, d.lot_seq, d.day, d.owed_to as donor, d.goods_id,
    coalesce(g.name, d.goods_id) as name,
    d.received_units as units,
    d.redeemed_units,
    d.in_stock_units,
    d.lost_units + d.shipped_units as other_units,
    d.received_units * coalesce(g.price_points, 0) as points
from lot_ledger d
left join goods_catalog g on g.station_id = d.station_id and g.goods_id = d.goods_id
where d.origin = 'donated';

-- Per station and donor.
create view donors as
select station_id, donor,
    sum(units)::bigint as units,
    sum(redeemed_units)::bigint as redeemed_units,
    sum(in_stock_units)::bigint as in_stock_units,
    sum(points)::bigint as points
from donations
group by station_id, donor;

-- Stock per village and item by how it came in (supply and shipment added at the end).
create or replace view village_stock as
with goods as (
    select distinct station_id, goods_id from events where kind = 'goods_defined'
), moves as (
    select station_id, goods_id,
        sum(case when kind = 'stock_received' and source = 'donation' then quantity else 0 end)::bigint as received_donation,
        sum(case when kind = 'stock_received' and source = 'purchase' then quantity else 0 end)::bigint as received_purchase,
        sum(case when kind = 'stock_received' and source = 'transfer' then quantity else 0 end)::bigint as received_transfer,
        sum(case when kind = 'stock_adjusted' then quantity else 0 end)::bigint as adjusted,
        sum(case when kind = 'goods_shipped' then quantity else 0 end)::bigint as shipped,
        sum(case when kind = 'stock_received' and source = 'supply' then quantity else 0 end)::bigint as received_supply,
        sum(case when kind = 'stock_received' and source = 'shipment' then quantity else 0 end)::bigint as received_shipment
    from events
    where kind in ('stock_received', 'stock_adjusted', 'goods_shipped')
    group by station_id, goods_id
), sold as (
    select station_id, goods_id, sum(quantity)::bigint as sold
    from live_sale_lines
    group by station_id, goods_id
)
select g.station_id, g.goods_id,
    coalesce(m.received_donation, 0) as received_donation,
    coalesce(m.received_purchase, 0) as received_purchase,
    coalesce(m.received_transfer, 0) as received_transfer,
    coalesce(m.adjusted, 0) as adjusted,
    coalesce(m.shipped, 0) as shipped,
    coalesce(s.sold, 0) as sold,
    coalesce(m.received_donation + m.received_purchase + m.received_transfer
             + m.received_supply + m.received_shipment + m.adjusted - m.shipped, 0)
        - coalesce(s.sold, 0) as on_hand,
    coalesce(m.received_supply, 0) as received_supply,
    coalesce(m.received_shipment, 0) as received_shipment
from goods g
left join moves m on m.station_id = g.station_id and m.goods_id = g.goods_id
left join sold s on s.station_id = g.station_id and s.goods_id = g.goods_id
join villages v on v.station_id = g.station_id;

-- Points moves with spending and clearing by credit year (credit_lines): a void after a
-- year-end clearing returns its cleared year's points as cleared, and an award for a cleared
-- year is cleared at once, as the ledger books them. household_balances and
-- village_month_points read this.
create or replace view points_moves as
select e.station_id, e.seq, e.day, e.month, e.household_id,
    case when e.kind = 'score_entered' then e.points else 0 end as entered,
    case when e.kind = 'award_confirmed' then e.points else 0 end as confirmed,
    case when e.kind = 'award_revoked' then e.points else 0 end as revoked,
    0::bigint as spent,
    0::bigint as cleared
from events e
where e.kind in ('score_entered', 'award_confirmed', 'award_revoked')
union all
select c.station_id, c.seq, c.day, c.month, c.household_id, 0, 0, 0, c.spent, c.cleared
from credit_lines c;

-- Each household's credit by year (PRODUCT.md, "Credit belongs to a year"): for every
-- household and year, awarded = spent + cleared + remaining.
create view household_credit_years as
select station_id, household_id, year,
    sum(awarded)::bigint as awarded,
    sum(spent)::bigint as spent,
    sum(cleared)::bigint as cleared,
    sum(awarded - spent - cleared)::bigint as remaining
from credit_lines
group by station_id, household_id, year;

-- Events of a village dated more than the tolerance after the township's clock when they
-- arrived: the station's last import that brought something new (every event held arrived by
-- then), or now if none is known.
create view future_dated_events as
select e.station_id, count(*) as events, min(e.seq) as first_seq, max(e.time_ms) as latest_ms
from events e
join villages v on v.station_id = e.station_id
where e.time_ms > least(v.last_sync_ms, aixin_now_ms())
    + (select value from rules where name = 'future_tolerance_ms')
group by e.station_id;

-- The township's consolidation (`aixin station report`), one row per village: donated units
-- are those of lots with a donor (shipments of donated goods included); the events dated in
-- the future are added at the end.
create or replace view village_totals as
select v.station_id, v.name, v.key_active,
    coalesce(h.households, 0) as households,
    coalesce(h.earned, 0) as points_issued,
    coalesce(h.pending, 0) as points_pending,
    coalesce(h.spent, 0) as points_spent,
    coalesce(h.cleared, 0) as points_cleared,
    coalesce(h.balance, 0) as balance_outstanding,
    coalesce(k.on_hand, 0) as stock_units,
    coalesce(d.donated, 0) as donated_units,
    v.head_seq as events,
    v.last_event_ms,
    v.last_sync_ms,
    case when v.last_sync_ms is not null
        then greatest(aixin_now_ms() - v.last_sync_ms, 0) / 86400000 end as days_since_sync,
    coalesce(f.events, 0) as future_dated,
    coalesce(f.latest_ms, 0) as latest_future_ms
from villages v
left join (
    select station_id, count(*) as households, sum(earned)::bigint as earned,
        sum(pending)::bigint as pending, sum(spent)::bigint as spent,
        sum(cleared)::bigint as cleared, sum(balance)::bigint as balance
    from household_balances
    group by station_id
) h on h.station_id = v.station_id
left join (
    select station_id, sum(on_hand)::bigint as on_hand
    from village_stock
    group by station_id
) k on k.station_id = v.station_id
left join (
    select station_id, sum(units)::bigint as donated
    from lots
    where origin = 'donated'
    group by station_id
) d on d.station_id = v.station_id
left join future_dated_events f on f.station_id = v.station_id;

-- Settlement (结算) per village, quarter, merchant and item, by lot: a merchant is paid only
-- for units taken from its supply lots (supplier), at the point value in force at each sale;
-- every other redeemed unit is listed with its origin and supplier NULL (not paid). Sales
-- voided (however late) are out. merchant_settlement reads this unchanged.
create or replace view settlement_lines as
select t.station_id, t.quarter,
    case when l.origin = 'merchant' then l.owed_to end as supplier,
    t.goods_id,
    sum(t.units)::bigint as units,
    sum(t.points)::bigint as points,
    (sum(t.value_fen) filter (where l.origin = 'merchant'))::bigint as value_fen,
    coalesce(l.origin, 'unknown') as origin
from live_lot_takes t
join villages v on v.station_id = t.station_id
left join lots l on l.station_id = t.station_id and l.lot_seq = t.lot_seq
where t.taken_by = 'sale'
group by t.station_id, t.quarter, l.origin, l.owed_to, t.goods_id;

-- Donated goods redeemed in a quarter (by lot): accounted, not paid.
create or replace view donated_redemptions as
select quarter, sum(units)::bigint as units, sum(points)::bigint as points
from settlement_lines
where origin = 'donated'
group by quarter;

-- Per village and quarter, the redeemed units nobody is paid for, as the settlement lists them:
-- donated, bought with a fund (already paid), and other (old transfers of unknown origin,
-- stocktake gains).
create view settlement_unpaid as
select station_id, quarter,
    coalesce(sum(units) filter (where origin = 'donated'), 0)::bigint as donated_units,
    coalesce(sum(points) filter (where origin = 'donated'), 0)::bigint as donated_points,
    coalesce(sum(units) filter (where origin = 'fund'), 0)::bigint as fund_units,
    coalesce(sum(points) filter (where origin = 'fund'), 0)::bigint as fund_points,
    coalesce(sum(units) filter (where origin not in ('merchant', 'donated', 'fund')), 0)::bigint
        as other_units,
    coalesce(sum(points) filter (where origin not in ('merchant', 'donated', 'fund')), 0)::bigint
        as other_points
from settlement_lines
group by station_id, quarter;

-- Till sessions (report::session_report): every closed session's Z report as frozen, and the
-- open session's X report (everything since the last close) counted as the till counts it.
create view session_reports as
select station_id, session_no, true as closed, closed_ms, first_ms, first_seq, last_seq,
    sales, points_spent, voids, points_voided, units_sold, units_received, scores_entered,
    points_confirmed, events
from till_sessions
union all
select s.station_id,
    coalesce(z.last_no, 0) + 1 as session_no,
    false as closed,
    null::bigint as closed_ms,
    coalesce((array_agg(e.time_ms order by e.seq))[1], 0) as first_ms,
    coalesce(min(e.seq), 0) as first_seq,
    coalesce(max(e.seq), 0) as last_seq,
    count(*) filter (where e.kind = 'redeemed') as sales,
    coalesce(sum(e.points) filter (where e.kind = 'redeemed'), 0)::bigint as points_spent,
    count(*) filter (where e.kind = 'sale_voided') as voids,
    coalesce(sum(e.points) filter (where e.kind = 'sale_voided'), 0)::bigint as points_voided,
    coalesce(sum(case e.kind when 'redeemed' then e.quantity
                             when 'sale_voided' then -e.quantity end), 0)::bigint as units_sold,
    coalesce(sum(e.quantity) filter (where e.kind = 'stock_received'), 0)::bigint
        as units_received,
    count(*) filter (where e.kind = 'score_entered') as scores_entered,
    coalesce(sum(e.points) filter (where e.kind = 'award_confirmed'), 0)::bigint
        as points_confirmed,
    count(e.seq) as events
from stations s
left join (
    select station_id, max(session_no) as last_no, max(closed_seq) as closed_seq
    from till_sessions
    group by station_id
) z on z.station_id = s.station_id
left join events e on e.station_id = s.station_id and e.seq > coalesce(z.closed_seq, 0)
where s.head_seq > 0
group by s.station_id, z.last_no;

-- Everything an office must look at, one row each (the township's anomalies, every kind):
-- kind, the station(s), what it concerns, a number (points, events, days or a seq) and the
-- description in Chinese and English.
create or replace view anomalies as
with balances as (
    select b.* from household_balances b join villages v on v.station_id = b.station_id
)
select 'overdrawn_across_stations'::text as kind,
    string_agg(station_id, '+' order by station_id) as station_id,
    'household ' || household_id as subject,
    -sum(balance)::bigint as amount,
    format('户号 %s 在多个站点合计透支 %s 分', household_id, -sum(balance)) as detail_zh,
    format('household %s is overdrawn by %s points across stations', household_id, -sum(balance)) as detail_en
from balances
group by household_id
having count(*) >= 2 and sum(balance) < 0
union all
select 'overdrawn_across_stations',
    string_agg(station_id, '+' order by station_id),
    'card ' || card_no,
    -sum(balance)::bigint,
    format('卡号 %s 在多个站点合计透支 %s 分', card_no, -sum(balance)),
    format('card %s is overdrawn by %s points across stations', card_no, -sum(balance))
from balances
group by card_no
having count(*) >= 2 and sum(balance) < 0
union all
select 'negative_balance', station_id, 'household ' || household_id, balance,
    format('农户 %s 余额为负：%s 分', household_id, balance),
    format('household %s has a negative balance: %s points', household_id, balance)
from balances
where balance < 0
union all
select 'budget_overrun', station_id, budget_key, used_points,
    format('%s 发放积分 %s 分，超出预算 %s 分', budget_key, used_points, budget_points),
    format('%s: %s points awarded, over the budget of %s', budget_key, used_points, budget_points)
from budget_use
where used_points > budget_points
union all
select 'future_dated', station_id, 'from #' || first_seq, events,
    format('%s 条记录的日期晚于乡镇电脑的时间（最晚 %s）：该村电脑时钟偏快',
        events, aixin_local(latest_ms)),
    format('%s events are dated after the township''s clock (latest %s): the village''s clock is fast',
        events, aixin_local(latest_ms))
from future_dated_events
union all
select 'clock_corrected', e.station_id, '#' || e.seq, e.seq,
    format('第 %s 条：登记了时钟更正（此前记录最晚到 %s，实际时间 %s）',
        e.seq, aixin_local(e.ref_ms), aixin_local(e.time_ms)),
    format('#%s: clock corrected (entries dated up to %s, real time %s)',
        e.seq, aixin_local(e.ref_ms), aixin_local(e.time_ms))
from events e
join villages v on v.station_id = e.station_id
where e.kind = 'clock_corrected'
union all
select 'clock_confirmed', e.station_id, '#' || e.seq,
    floor((e.time_ms - e.ref_ms)::numeric / 86400000)::bigint,
    format('第 %s 条：管理员确认电脑日期 %s（距上一笔 %s 天）',
        e.seq, e.period, floor((e.time_ms - e.ref_ms)::numeric / 86400000)),
    format('#%s: the manager confirmed the date %s (%s days after the previous entry)',
        e.seq, e.period, floor((e.time_ms - e.ref_ms)::numeric / 86400000))
from events e
join villages v on v.station_id = e.station_id
where e.kind = 'clock_confirmed'
union all
select 'fork', station_id, '#' || seq, seq,
    format('分叉：第 %s 条有两个版本（%s…，%s…）%s', seq, left(held_hash, 12), left(other_hash, 12), note),
    format('fork: two versions of #%s (%s…, %s…) %s', seq, left(held_hash, 12), left(other_hash, 12), note)
from forks
union all
select 'gap', station_id, '#' || first_seq || '–#' || last_seq, first_seq,
    format('数据包 #%s–#%s 缺少更早的记录，暂存待补（%s）', first_seq, last_seq, file),
    format('bundle #%s–#%s waits for earlier events (held: %s)', first_seq, last_seq, file)
from held_bundles
union all
select 'ack_mismatch', station_id, '#' || ack_mismatch_seq, ack_mismatch_seq,
    format('该村确认的乡镇第 %s 条记录与本地不同', ack_mismatch_seq),
    format('the village acknowledged township event #%s, which differs from the one held here',
        ack_mismatch_seq)
from villages
where ack_mismatch_seq is not null
union all
select 'stale', station_id, 'last sync',
    greatest(aixin_now_ms() - last_sync_ms, 0) / 86400000,
    format('已 %s 天没有新数据', greatest(aixin_now_ms() - last_sync_ms, 0) / 86400000),
    format('no new data for %s days', greatest(aixin_now_ms() - last_sync_ms, 0) / 86400000)
from villages
where key_active and last_sync_ms is not null
  and greatest(aixin_now_ms() - last_sync_ms, 0) / 86400000
      > (select value from rules where name = 'stale_days_max')
union all
select 'never_synced', station_id, 'last sync', 0,
    '已登记，但还没有收到过数据包', 'enrolled, but no bundle has arrived yet'
from villages
where key_active and last_sync_ms is null
union all
select 'revoked_key', station_id, 'key', key_revoked_from_ms,
    format('公钥自 %s 起已吊销', to_timestamp(key_revoked_from_ms / 1000.0)),
    format('key revoked from %s', to_timestamp(key_revoked_from_ms / 1000.0))
from villages
where key_revoked_from_ms is not null;
