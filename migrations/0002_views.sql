-- 0002: the views a county or province office reads. Each gives the same numbers as the
-- township's own reports (src/sync/township.rs consolidate, src/report/settlement.rs); a test
-- publishes a township and compares them row by row (tests/publish.rs).
--
-- Months and quarters are the China (UTC+8) calendar month or quarter of the event that moved
-- the points or goods, as computed by aixin when publishing (events.month, events.quarter).
-- A later migration replaces a view with `create or replace view` (same columns, new ones at
-- the end) or drops and recreates it; dependent views are listed beside each.

-- Only villages hold households, goods and sales; a township's own chain holds its catalog,
-- roster and shipments.
create view villages as
select * from stations where role = 'village';

-- One row per movement of a household's points. pending = entered - confirmed - revoked;
-- balance = confirmed - spent - cleared. A void counts as negative spending when it happens.
-- Used by: household_balances, village_month_points.
create view points_moves as
select e.station_id, e.seq, e.day, e.month, e.household_id,
    case when e.kind = 'score_entered' then e.points else 0 end as entered,
    case when e.kind = 'award_confirmed' then e.points else 0 end as confirmed,
    case when e.kind = 'award_revoked' then e.points else 0 end as revoked,
    case e.kind when 'redeemed' then e.points when 'sale_voided' then -e.points else 0 end as spent,
    0::bigint as cleared
from events e
where e.kind in ('score_entered', 'award_confirmed', 'award_revoked', 'redeemed', 'sale_voided')
union all
select c.station_id, c.seq, e.day, e.month, c.household_id, 0, 0, 0, 0, c.points
from clearing_lines c
join events e on e.station_id = c.station_id and e.seq = c.seq;

-- Every household on file with its current card (after reissues).
create view households as
select distinct on (e.station_id, e.household_id) e.station_id, e.household_id, e.card_no
from events e
where e.kind in ('household_registered', 'card_reissued')
order by e.station_id, e.household_id, e.seq desc;

-- Each household's points as the village's ledger derives them.
create view household_balances as
select h.station_id, h.household_id, h.card_no,
    coalesce(m.earned, 0) as earned,
    coalesce(m.pending, 0) as pending,
    coalesce(m.spent, 0) as spent,
    coalesce(m.cleared, 0) as cleared,
    coalesce(m.balance, 0) as balance
from households h
left join (
    select station_id, household_id,
        sum(confirmed)::bigint as earned,
        sum(entered - confirmed - revoked)::bigint as pending,
        sum(spent)::bigint as spent,
        sum(cleared)::bigint as cleared,
        sum(confirmed - spent - cleared)::bigint as balance
    from points_moves
    group by station_id, household_id
) m on m.station_id = h.station_id and m.household_id = h.household_id;

-- Per village and month: points awarded (confirmed), spent (net of voids that month) and
-- cleared (一年一清) in the month, and what was pending and outstanding at its end. A month
-- with no movement has no row; its figures are those of the month before.
create view village_month_points as
select station_id, month, awarded, spent, cleared,
    (sum(pending_change) over w)::bigint as pending,
    (sum(balance_change) over w)::bigint as outstanding
from (
    select m.station_id, m.month,
        sum(m.confirmed)::bigint as awarded,
        sum(m.spent)::bigint as spent,
        sum(m.cleared)::bigint as cleared,
        sum(m.entered - m.confirmed - m.revoked) as pending_change,
        sum(m.confirmed - m.spent - m.cleared) as balance_change
    from points_moves m
    join villages v on v.station_id = m.station_id
    group by m.station_id, m.month
) monthly
window w as (partition by station_id order by month);

-- Redemption lines of sales that were never voided (however late the void).
-- Used by: village_stock, settlement_lines.
create view live_sale_lines as
select l.*
from sale_lines l
where not exists (
    select 1 from events v
    where v.station_id = l.station_id and v.kind = 'sale_voided' and v.ref_seq = l.seq
);

-- Stock per village and item, by where it came from.
create view village_stock as
with goods as (
    select distinct station_id, goods_id from events where kind = 'goods_defined'
), moves as (
    select station_id, goods_id,
        sum(case when kind = 'stock_received' and source = 'donation' then quantity else 0 end)::bigint as received_donation,
        sum(case when kind = 'stock_received' and source = 'purchase' then quantity else 0 end)::bigint as received_purchase,
        sum(case when kind = 'stock_received' and source = 'transfer' then quantity else 0 end)::bigint as received_transfer,
        sum(case when kind = 'stock_adjusted' then quantity else 0 end)::bigint as adjusted,
        sum(case when kind = 'goods_shipped' then quantity else 0 end)::bigint as shipped
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
    coalesce(m.received_donation + m.received_purchase + m.received_transfer + m.adjusted - m.shipped, 0)
        - coalesce(s.sold, 0) as on_hand
from goods g
left join moves m on m.station_id = g.station_id and m.goods_id = g.goods_id
left join sold s on s.station_id = g.station_id and s.goods_id = g.goods_id
join villages v on v.station_id = g.station_id;

-- The township's consolidation, one row per village (`aixin station report`).
create view village_totals as
select v.station_id, v.name, v.key_active,
    coalesce(h.households, 0) as households,
    coalesce(h.earned, 0) as points_issued,
    coalesce(h.pending, 0) as points_pending,
    coalesce(h.spent, 0) as points_spent,
    coalesce(h.cleared, 0) as points_cleared,
    coalesce(h.balance, 0) as balance_outstanding,
    coalesce(k.on_hand, 0) as stock_units,
    coalesce(k.donated, 0) as donated_units,
    v.head_seq as events,
    v.last_event_ms,
    v.last_sync_ms,
    case when v.last_sync_ms is not null
        then greatest(aixin_now_ms() - v.last_sync_ms, 0) / 86400000 end as days_since_sync
from villages v
left join (
    select station_id, count(*) as households, sum(earned)::bigint as earned,
        sum(pending)::bigint as pending, sum(spent)::bigint as spent,
        sum(cleared)::bigint as cleared, sum(balance)::bigint as balance
    from household_balances
    group by station_id
) h on h.station_id = v.station_id
left join (
    select station_id, sum(on_hand)::bigint as on_hand, sum(received_donation)::bigint as donated
    from village_stock
    group by station_id
) k on k.station_id = v.station_id;

-- Settlement (结算) per village, quarter, merchant and item: redemptions never voided, at the
-- supplier and point value in force at each sale. supplier is NULL for donated goods (not
-- paid). After stock lots exist, a migration replaces this view to pay only for units taken
-- from a merchant's supply lots; merchant_settlement and donated_redemptions read from it.
create view settlement_lines as
select l.station_id, l.quarter, l.supplier, l.goods_id,
    sum(l.quantity)::bigint as units,
    sum(l.points)::bigint as points,
    sum(l.value_fen)::bigint as value_fen
from live_sale_lines l
join villages v on v.station_id = l.station_id
group by l.station_id, l.quarter, l.supplier, l.goods_id;

-- What the county pays each merchant for a quarter, all villages added up.
create view merchant_settlement as
select quarter, supplier,
    sum(units)::bigint as units,
    sum(points)::bigint as points,
    sum(value_fen)::bigint as value_fen,
    count(distinct station_id) as villages
from settlement_lines
where supplier is not null
group by quarter, supplier;

-- Donated goods redeemed in a quarter: accounted, not paid.
create view donated_redemptions as
select quarter, sum(units)::bigint as units, sum(points)::bigint as points
from settlement_lines
where supplier is null
group by quarter;

-- Points scored against each month's or quarter's village budget (scores not revoked,
-- pending or confirmed), with the budget in force at the latest of those scores.
create view budget_use as
select e.station_id, e.budget_key,
    sum(e.points)::bigint as used_points,
    (array_agg(e.budget_points order by e.seq desc))[1] as budget_points
from events e
join villages v on v.station_id = e.station_id
where e.kind = 'score_entered' and e.budget_key is not null
  and not exists (
    select 1 from events r
    where r.station_id = e.station_id and r.kind = 'award_revoked' and r.ref_seq = e.seq
  )
group by e.station_id, e.budget_key;

-- Everything an office must look at, one row each: kind, the station(s), what it concerns, a
-- number (points, events or days) and the description in Chinese and English.
create view anomalies as
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
select 'future_dated', e.station_id, 'from #' || min(e.seq), count(*),
    format('%s 条记录的时间晚于现在（最晚 %s）', count(*), to_timestamp(max(e.time_ms) / 1000.0)),
    format('%s events dated in the future (latest %s)', count(*), to_timestamp(max(e.time_ms) / 1000.0))
from events e
where e.time_ms > aixin_now_ms() + (select value from rules where name = 'clock_skew_ms_max')
group by e.station_id
union all
select 'fork', station_id, '#' || seq, seq,
    format('分叉：第 %s 条有两个版本（%s…，%s…）%s', seq, left(held_hash, 12), left(other_hash, 12), note),
    format('fork: two versions of #%s (%s…, %s…) %s', seq, left(held_hash, 12), left(other_hash, 12), note)
from forks
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
