//! `update(model, msg) -> effects`: every decision the till makes. A key is routed by the
//! popup or screen context first, then `[global]`; unbound printable keys type into the field
//! that has focus. A barcode scanner is recognised here (a run of digits and Enter that names a
//! barcode, or comes faster than a person types). Write actions become [`Effect::Commit`] values;
//! in monitor mode they are inert, and a final filter guarantees no write effect leaves.

use crate::domain::command::{CART_LINES_MAX, QUANTITY_MAX};
use crate::domain::event::{Event, EventBody, StationRole, StockSource, Zone};
use crate::domain::refusal::Refusal;
use crate::domain::time::{CivilDate, PeriodKind};
use crate::domain::{Command, HouseholdRef, Policy};
use crate::policies::BUILTIN;

use super::data::HouseholdHit;
use super::keymap::{Action, Context, KeyName, KeyPress};
use super::model::{
    Access, CartLine, Focus, Gate, Input, Modal, Model, Question, ReceiveField, Screen, SetupField,
    SourceKind, SyncLine, Tone, QUANTITY_DIGITS_MAX,
};
use super::msg::{Effect, Loaded, Msg, Purpose, Query, SyncDirection};
use super::receipt;

/// A scanner types faster than this gap between keys (ms); people are slower.
pub const SCAN_GAP_MS_MAX: u64 = 50;

/// Fewer digits than this are never taken for a barcode (quantities, scores, phone tails).
pub const SCAN_DIGITS_MIN: usize = 6;

/// At most this many digits are remembered for a scan.
pub const SCAN_DIGITS_MAX: usize = 32;

/// Rows moved by page up / page down.
pub const PAGE_ROWS: usize = 8;

/// Handles one message; returns what the shell must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Key { key, at_ms } => on_key(model, key, at_ms, &mut effects),
        Msg::Committed { purpose, result } => on_committed(model, purpose, result, &mut effects),
        Msg::Loaded(loaded) => on_loaded(model, loaded),
        Msg::ReceiptWritten(result) => on_receipt_written(model, result),
        Msg::Synced { direction, result } => on_synced(model, direction, result, &mut effects),
    }
    if model.access.is_monitor() {
        effects.retain(|e| !e.writes());
    }
    effects
}

fn on_key(model: &mut Model, key: KeyPress, at_ms: u64, fx: &mut Vec<Effect>) {
    let key = key.normalized();
    if key == KeyPress::ctrl('c') {
        model.quitting = true;
        fx.push(Effect::Quit);
        return;
    }
    if let Some((code, fast)) = observe_scan(model, key, at_ms) {
        if handle_scan(model, &code, fast) {
            return;
        }
    }
    let context = model.context();
    let bound = model
        .keymap
        .action(context, key)
        .map(|a| (context, a))
        .or_else(|| {
            if model.modal.is_some() {
                return None;
            }
            model
                .keymap
                .action(Context::Global, key)
                .map(|a| (Context::Global, a))
        });
    match bound {
        Some((context, action)) => dispatch(model, context, action, fx),
        None => type_key(model, key),
    }
}

/// Tracks digit runs; on Enter after enough digits, returns the code and whether it was fast.
fn observe_scan(model: &mut Model, key: KeyPress, at_ms: u64) -> Option<(String, bool)> {
    let gap_ok = at_ms.saturating_sub(model.scan.last_ms) <= SCAN_GAP_MS_MAX;
    match key.typed_char() {
        Some(c) if c.is_ascii_digit() => {
            if model.scan.digits.is_empty() {
                model.scan.fast = true;
            } else {
                model.scan.fast &= gap_ok;
            }
            if model.scan.digits.len() < SCAN_DIGITS_MAX {
                model.scan.digits.push(c);
            } else {
                model.scan.fast = false;
            }
            model.scan.last_ms = at_ms;
            None
        }
        _ => {
            let digits = std::mem::take(&mut model.scan.digits);
            let fast = model.scan.fast && gap_ok;
            model.scan.fast = false;
            (key == KeyPress::plain(KeyName::Enter) && digits.len() >= SCAN_DIGITS_MIN)
                .then_some((digits, fast))
        }
    }
}

/// Acts on a scanned code; false when the Enter should be handled as a normal key.
fn handle_scan(model: &mut Model, code: &str, fast: bool) -> bool {
    if model.screen == Screen::Setup {
        return false;
    }
    let known = model.data.barcodes.get(code).copied();
    if known.is_none() && !fast {
        return false;
    }
    strip_scanned(model, code);
    let Some(position) = known else {
        let text = format!(
            "{}{code}{}",
            model.t("条码 ", "barcode "),
            model.t(
                " 不在商品目录里，请核对或手工选择商品",
                " is not in the catalog; check it or pick the item by hand"
            )
        );
        model.say(Tone::Bad, text);
        return true;
    };
    if model.modal.is_some() {
        let text = model
            .t("请先关闭弹窗再扫码", "close the popup before scanning")
            .to_string();
        model.say(Tone::Bad, text);
        return true;
    }
    match model.screen {
        Screen::Receive => {
            if let Some(g) = model.data.goods.get(position) {
                model.receive.goods_id = Some(g.goods.goods_id.clone());
                model.receive.field = ReceiveField::Quantity;
            }
        }
        Screen::Till => add_goods(model, position),
        _ => {
            model.screen = Screen::Till;
            add_goods(model, position);
        }
    }
    true
}

/// Removes a scanner's digits from whichever field received them.
fn strip_scanned(model: &mut Model, code: &str) {
    if let Some(input) = active_input(model) {
        if input.strip_suffix(code) {
            model.refresh_lists();
        }
    }
}

fn active_input(model: &mut Model) -> Option<&mut Input> {
    if let Some(modal) = &mut model.modal {
        return match modal {
            Modal::Checkout { proxy } => Some(proxy),
            Modal::Reason { reason, .. } => Some(reason),
            _ => None,
        };
    }
    match model.screen {
        Screen::Till => Some(match model.focus {
            Focus::Lookup => &mut model.lookup.query,
            Focus::Catalog => &mut model.catalog.query,
            Focus::Cart => &mut model.cart.typed_quantity,
        }),
        Screen::Receive => Some(match model.receive.field {
            ReceiveField::Goods | ReceiveField::Source => &mut model.receive.goods_query,
            ReceiveField::Quantity => &mut model.receive.quantity,
            ReceiveField::Party => &mut model.receive.party,
            ReceiveField::Cost => &mut model.receive.cost,
        }),
        Screen::Scores => {
            let id = model
                .data
                .households
                .get(model.scores.selected)?
                .household_id
                .to_string();
            Some(model.scores.entries.entry(id).or_default())
        }
        Screen::Setup => match model.setup.field {
            SetupField::StationId => Some(&mut model.setup.station_id),
            SetupField::Name => Some(&mut model.setup.name),
            _ => None,
        },
        Screen::Sync => Some(&mut model.sync.folder),
        _ => None,
    }
}

/// An unbound key: printable characters and Backspace edit the focused field.
fn type_key(model: &mut Model, key: KeyPress) {
    let backspace = key == KeyPress::plain(KeyName::Backspace);
    let Some(c) = key
        .typed_char()
        .or(if backspace { Some('\u{8}') } else { None })
    else {
        return;
    };
    let digits_only = match (&model.modal, model.screen) {
        (None, Screen::Till) => model.focus == Focus::Cart,
        (None, Screen::Receive) => model.receive.field == ReceiveField::Quantity,
        (None, Screen::Scores) => true,
        _ => false,
    };
    let cost_field = model.modal.is_none()
        && model.screen == Screen::Receive
        && model.receive.field == ReceiveField::Cost;
    let source_field = model.modal.is_none()
        && model.screen == Screen::Receive
        && model.receive.field == ReceiveField::Source;
    if source_field {
        return;
    }
    let is_cart =
        model.modal.is_none() && model.screen == Screen::Till && model.focus == Focus::Cart;
    let is_scores = model.modal.is_none() && model.screen == Screen::Scores;
    let Some(input) = active_input(model) else {
        return;
    };
    let allowed = if digits_only {
        c.is_ascii_digit() || (is_scores && c == '-' && input.text.is_empty())
    } else if cost_field {
        c.is_ascii_digit() || c == '.'
    } else {
        true
    };
    let full = (is_cart && input.text.len() >= QUANTITY_DIGITS_MAX)
        || (is_scores && input.text.len() >= 4);
    let changed = if backspace {
        input.pop()
    } else {
        allowed && !full && input.push(c)
    };
    if !changed || model.modal.is_some() {
        return;
    }
    // Only the list this field searches: a score or a quantity re-runs no search.
    match (model.screen, model.focus, model.receive.field) {
        (Screen::Till, Focus::Lookup, _) => {
            model.lookup.selected = 0;
            model.refresh_lookup();
        }
        (Screen::Till, Focus::Catalog, _) => {
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        (Screen::Receive, _, ReceiveField::Goods) => {
            model.receive.goods_selected = 0;
            model.refresh_receive_goods();
        }
        _ => {}
    }
}

fn read_only_refusal(model: &mut Model) {
    let text = match model.access {
        Access::ReadOnly => model.t(
            "监督模式（只读打开）：不能修改账本",
            "monitor (opened read-only): nothing can be changed",
        ),
        _ => model.t(
            "监督模式：只能查看，按 F9 回到收银",
            "monitor mode: read-only; press F9 to return to the till",
        ),
    };
    let text = text.to_string();
    model.say(Tone::Bad, text);
}

fn dispatch(model: &mut Model, context: Context, action: Action, fx: &mut Vec<Effect>) {
    match context {
        Context::Global => global(model, action, fx),
        Context::Lookup => lookup(model, action, fx),
        Context::Catalog => catalog(model, action),
        Context::Cart => cart(model, action, fx),
        Context::Checkout => checkout(model, action, fx),
        Context::Confirm => confirm(model, action, fx),
        Context::Reason => reason(model, action, fx),
        Context::Popup => popup(model, action),
        Context::Receive => receive(model, action, fx),
        Context::Scores => scores(model, action, fx),
        Context::Awards => awards(model, action),
        Context::Day => day(model, action, fx),
        Context::Void => void(model, action),
        Context::Board => board(model, action, fx),
        Context::Setup => setup(model, action, fx),
        Context::Sync => sync(model, action, fx),
    }
}

fn move_selection(selected: &mut usize, len: usize, action: Action) {
    let last = len.saturating_sub(1);
    *selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(PAGE_ROWS),
        Action::PageDown => (*selected + PAGE_ROWS).min(last),
        _ => *selected,
    };
}

fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
    )
}

fn global(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    if model.screen == Screen::Setup && !matches!(action, Action::Help | Action::Quit) {
        return;
    }
    match action {
        Action::Help => model.modal = Some(Modal::Help { scroll: 0 }),
        Action::Quit => {
            if model.cart.lines.is_empty() || model.access.is_monitor() {
                model.quitting = true;
                fx.push(Effect::Quit);
            } else {
                model.modal = Some(Modal::Confirm(Question::Quit));
            }
        }
        Action::Back => back(model),
        Action::ToggleMonitor => toggle_monitor(model),
        Action::FocusLookup => focus(model, Focus::Lookup),
        Action::FocusCatalog => focus(model, Focus::Catalog),
        Action::FocusCart => focus(model, Focus::Cart),
        Action::FocusNext => focus(model, model.focus.next()),
        Action::FocusPrev => focus(model, model.focus.prev()),
        Action::Checkout => open_checkout(model),
        Action::OpenTill => model.screen = Screen::Till,
        Action::OpenReceive => open_write_screen(model, Screen::Receive, fx),
        Action::OpenScores => open_write_screen(model, Screen::Scores, fx),
        Action::OpenVoid => open_write_screen(model, Screen::Void, fx),
        Action::OpenAwards => {
            model.screen = Screen::Awards;
            fx.push(Effect::Load(Query::PendingAwards));
        }
        Action::OpenDay => {
            model.screen = Screen::Day;
            if model.day.date.is_empty() {
                model.day.date = model.today().to_string();
            }
            fx.push(Effect::Load(Query::Day(model.day.date.clone())));
        }
        Action::OpenBoard => {
            model.screen = Screen::Board;
            if model.board.period.is_empty() {
                model.board.period = default_period(model);
            }
            fx.push(Effect::Load(Query::Tallies(model.board.period.clone())));
        }
        Action::OpenSync => {
            model.screen = Screen::Sync;
            fx.push(Effect::Load(Query::Sync));
        }
        _ => {}
    }
}

fn back(model: &mut Model) {
    if model.screen != Screen::Till {
        model.screen = Screen::Till;
        return;
    }
    match model.focus {
        Focus::Lookup => model.lookup.query.clear(),
        Focus::Catalog => model.catalog.query.clear(),
        Focus::Cart => model.cart.typed_quantity.clear(),
    }
    model.refresh_lists();
}

fn toggle_monitor(model: &mut Model) {
    match model.access {
        Access::Till => {
            model.access = Access::Monitor;
            let text = model.t(
                "已进入监督模式：只能查看，不能修改；再按 F9 回到收银",
                "monitor mode: read-only; press F9 again to return to the till",
            );
            let text = text.to_string();
            model.say(Tone::Info, text);
        }
        Access::Monitor => {
            model.access = Access::Till;
            let text = model.t("已回到收银模式", "back to the till").to_string();
            model.say(Tone::Info, text);
        }
        Access::ReadOnly => read_only_refusal(model),
    }
}

fn focus(model: &mut Model, focus: Focus) {
    model.screen = Screen::Till;
    model.focus = focus;
}

fn default_period(model: &Model) -> String {
    let kind = model
        .data
        .meta
        .as_ref()
        .map(|m| m.policy.period)
        .unwrap_or(PeriodKind::Month);
    model.today().previous_period(kind).0
}

fn open_write_screen(model: &mut Model, screen: Screen, fx: &mut Vec<Effect>) {
    if model.access.is_monitor() {
        read_only_refusal(model);
        return;
    }
    model.screen = screen;
    match screen {
        Screen::Scores => {
            if model.scores.period.is_empty() {
                model.scores.period = default_period(model);
            }
            fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
        }
        Screen::Void => fx.push(Effect::Load(Query::Sales)),
        _ => model.refresh_lists(),
    }
}

fn lookup(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.lookup.selected, model.lookup.hits.len(), a),
        Action::Select => select_household(model, fx),
        Action::Details => {
            if let Some(HouseholdHit::Household(i) | HouseholdHit::VoidedCard(i)) =
                model.lookup.hits.get(model.lookup.selected)
            {
                if let Some(h) = model.data.households.get(*i) {
                    let id = h.household_id.to_string();
                    model.modal = Some(Modal::Details {
                        household_id: id.clone(),
                        history: None,
                        scroll: 0,
                    });
                    fx.push(Effect::Load(Query::History(id)));
                }
            }
        }
        Action::ClearInput => {
            model.lookup.query.clear();
            model.refresh_lookup();
        }
        _ => {}
    }
}

fn select_household(model: &mut Model, fx: &mut Vec<Effect>) {
    match model.lookup.hits.get(model.lookup.selected).copied() {
        None => {
            let text = model.t("没有找到农户：可输入卡号、户号、姓名、拼音首字母或电话尾号", "no household found: type a card, household id, name, pinyin initials or phone tail");
            let text = text.to_string();
            model.say(Tone::Bad, text);
        }
        Some(HouseholdHit::VoidedCard(i)) => {
            if let Some(h) = model.data.households.get(i) {
                let refusal = Refusal::CardVoided {
                    card_no: model.lookup.query.value().to_uppercase(),
                    household_id: h.household_id.to_string(),
                };
                let text = refusal.message(model.lang);
                model.say(Tone::Bad, text);
            }
        }
        Some(HouseholdHit::Household(i)) => {
            let Some(h) = model.data.households.get(i) else {
                return;
            };
            let id = h.household_id.to_string();
            let text = format!(
                "{}{} {}",
                model.t("已选农户：", "household: "),
                h.head,
                h.card_no
            );
            if model.cart.household.as_deref() != Some(id.as_str()) {
                model.cart.gate = Gate::Unknown;
            }
            model.cart.household = Some(id.clone());
            model.say(Tone::Good, text);
            model.focus = Focus::Catalog;
            fx.push(Effect::Load(Query::Gate(id)));
        }
    }
}

fn catalog(model: &mut Model, action: Action) {
    match action {
        a if is_move(a) => move_selection(&mut model.catalog.selected, model.catalog.hits.len(), a),
        Action::Select => match model.catalog.hits.get(model.catalog.selected).copied() {
            Some(position) => add_goods(model, position),
            None => {
                let text = model.t("没有匹配的商品", "no matching goods").to_string();
                model.say(Tone::Bad, text);
            }
        },
        Action::ZoneNext | Action::ZonePrev => {
            let mut options: Vec<Option<Zone>> = vec![None];
            options.extend(model.data.zones().into_iter().map(Some));
            let at = options
                .iter()
                .position(|z| *z == model.catalog.zone)
                .unwrap_or(0);
            let len = options.len();
            let next = if action == Action::ZoneNext {
                (at + 1) % len
            } else {
                (at + len - 1) % len
            };
            model.catalog.zone = options[next];
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        Action::CategoryNext => {
            let mut options: Vec<Option<String>> = vec![None];
            options.extend(model.data.categories.iter().cloned().map(Some));
            let at = options
                .iter()
                .position(|c| *c == model.catalog.category)
                .unwrap_or(0);
            model.catalog.category = options[(at + 1) % options.len()].clone();
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        Action::ClearInput => {
            model.catalog.query.clear();
            model.refresh_catalog();
        }
        _ => {}
    }
}

/// Adds one unit of the goods at `position` to the cart, if stock allows.
fn add_goods(model: &mut Model, position: usize) {
    let Some(g) = model.data.goods.get(position) else {
        return;
    };
    let (id, name, stock) = (
        g.goods.goods_id.clone(),
        g.goods.name.clone(),
        g.stock_units,
    );
    let in_cart = model.cart.lines.iter().position(|l| l.goods_id == id);
    let wanted = in_cart.map(|i| model.cart.lines[i].quantity).unwrap_or(0) + 1;
    if stock <= 0 {
        let text = format!(
            "{name}{}",
            model.t(
                " 缺货，不能加入购物车",
                " is out of stock; it cannot be added"
            )
        );
        model.say(Tone::Bad, text);
        return;
    }
    if wanted > stock {
        let text = format!(
            "{name}{}{stock}",
            model.t(" 库存只有 ", ": only in stock: ")
        );
        model.say(Tone::Bad, text);
        return;
    }
    match in_cart {
        Some(i) => {
            model.cart.lines[i].quantity = wanted;
            model.cart.selected = i;
        }
        None => {
            if model.cart.lines.len() >= CART_LINES_MAX {
                let text = Refusal::CartTooLarge.message(model.lang);
                model.say(Tone::Bad, text);
                return;
            }
            model.cart.lines.push(CartLine {
                goods_id: id,
                quantity: 1,
            });
            model.cart.selected = model.cart.lines.len() - 1;
        }
    }
    let text = format!("{}{name} × {wanted}", model.t("已加入：", "added: "));
    model.say(Tone::Good, text);
}

fn cart(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let selected = model.cart.selected;
    match action {
        a if is_move(a) => move_selection(&mut model.cart.selected, model.cart.lines.len(), a),
        Action::QtyUp => {
            if let Some(line) = model.cart.lines.get(selected) {
                let quantity = line.quantity + 1;
                set_quantity(model, selected, quantity);
            }
        }
        Action::QtyDown => {
            if let Some(line) = model.cart.lines.get(selected) {
                if line.quantity <= 1 {
                    let text = model.t(
                        "数量最少为 1；要删除这一行请按 Del 或 d",
                        "quantity is at least 1; press Del or d to remove the line",
                    );
                    let text = text.to_string();
                    model.say(Tone::Info, text);
                } else {
                    let quantity = line.quantity - 1;
                    set_quantity(model, selected, quantity);
                }
            }
        }
        Action::Select => {
            let typed = std::mem::take(&mut model.cart.typed_quantity);
            if typed.value().is_empty() {
                let text = model
                    .t(
                        "先输入数字，再按回车修改数量",
                        "type a number, then Enter to set the quantity",
                    )
                    .to_string();
                model.say(Tone::Info, text);
                return;
            }
            match typed.value().parse::<i64>() {
                Ok(0) => remove_line(model),
                Ok(q) if model.cart.lines.get(selected).is_some() => {
                    set_quantity(model, selected, q)
                }
                Ok(_) => {
                    let text = model.t("购物车是空的", "the cart is empty").to_string();
                    model.say(Tone::Bad, text);
                }
                Err(_) => {
                    let text = Refusal::QuantityNotPositive.message(model.lang);
                    model.say(Tone::Bad, text);
                }
            }
        }
        Action::RemoveLine => remove_line(model),
        Action::ClearCart => {
            model.cart.lines.clear();
            model.cart.selected = 0;
            let text = model.t("购物车已清空", "cart emptied").to_string();
            model.say(Tone::Info, text);
        }
        Action::Details => {
            if let Some(id) = model.cart.household.clone() {
                model.modal = Some(Modal::Details {
                    household_id: id.clone(),
                    history: None,
                    scroll: 0,
                });
                fx.push(Effect::Load(Query::History(id)));
            }
        }
        _ => {}
    }
}

fn set_quantity(model: &mut Model, index: usize, quantity: i64) {
    let Some(line) = model.cart.lines.get(index) else {
        return;
    };
    let stock = model
        .data
        .goods_by_id(&line.goods_id)
        .map(|g| g.stock_units)
        .unwrap_or(0);
    if quantity <= 0 || quantity > QUANTITY_MAX {
        let text = Refusal::QuantityNotPositive.message(model.lang);
        model.say(Tone::Bad, text);
    } else if quantity > stock {
        let text = Refusal::StockShort {
            goods_id: line.goods_id.clone(),
            stock_units: stock,
            wanted: quantity,
        }
        .message(model.lang);
        model.say(Tone::Bad, text);
    } else {
        model.cart.lines[index].quantity = quantity;
        model.status = None;
    }
}

fn remove_line(model: &mut Model) {
    if model.cart.selected < model.cart.lines.len() {
        model.cart.lines.remove(model.cart.selected);
        model.cart.selected = model
            .cart
            .selected
            .min(model.cart.lines.len().saturating_sub(1));
    }
}

fn open_checkout(model: &mut Model) {
    if model.access.is_monitor() {
        read_only_refusal(model);
        return;
    }
    if model.screen != Screen::Till {
        model.screen = Screen::Till;
    }
    if model.cart_household().is_none() {
        let text = model
            .t(
                "请先在左上方查找并选定农户（F2）",
                "choose a household first (F2)",
            )
            .to_string();
        model.say(Tone::Bad, text);
        model.focus = Focus::Lookup;
        return;
    }
    if model.cart.lines.is_empty() {
        let text = Refusal::EmptyCart.message(model.lang);
        model.say(Tone::Bad, text);
        model.focus = Focus::Catalog;
        return;
    }
    model.modal = Some(Modal::Checkout {
        proxy: Input::default(),
    });
}

fn checkout(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Checkout { proxy }) = &mut model.modal else {
        return;
    };
    match action {
        Action::ClearInput => proxy.clear(),
        Action::Cancel => model.modal = None,
        Action::Confirm => {
            let proxy = proxy.value().to_string();
            model.modal = None;
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            let Some(household) = model.cart.household.clone() else {
                return;
            };
            let lines = model
                .cart
                .lines
                .iter()
                .map(|l| (l.goods_id.clone(), l.quantity))
                .collect();
            let proxy = (!proxy.is_empty()).then_some(proxy);
            fx.push(Effect::Commit {
                commands: vec![Command::Redeem {
                    household: HouseholdRef::Id(household),
                    lines,
                    proxy,
                }],
                purpose: Purpose::Sale,
            });
        }
        _ => {}
    }
}

fn confirm(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Confirm(question)) = model.modal.take() else {
        return;
    };
    if action != Action::Confirm {
        if action != Action::Cancel {
            model.modal = Some(Modal::Confirm(question));
        }
        return;
    }
    if question == Question::Quit {
        model.quitting = true;
        fx.push(Effect::Quit);
        return;
    }
    if model.access.is_monitor() {
        read_only_refusal(model);
        return;
    }
    match question {
        Question::CloseDay(_) => fx.push(Effect::Commit {
            commands: vec![Command::CloseSession],
            purpose: Purpose::CloseDay,
        }),
        Question::ConfirmAwards(seqs) => {
            let commands = seqs
                .into_iter()
                .map(|award_seq| Command::ConfirmAward { award_seq })
                .collect();
            fx.push(Effect::Commit {
                commands,
                purpose: Purpose::Awards,
            });
        }
        Question::CommitScores => {
            let commands = score_commands(model);
            if !commands.is_empty() {
                fx.push(Effect::Commit {
                    commands,
                    purpose: Purpose::Scores,
                });
            }
        }
        Question::Quit => {}
    }
}

fn reason(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Reason { sale_seq, reason }) = &mut model.modal else {
        return;
    };
    match action {
        Action::ClearInput => reason.clear(),
        Action::Cancel => model.modal = None,
        Action::Confirm => {
            if reason.value().is_empty() {
                let text = model
                    .t("请写明作废原因", "write the reason for voiding")
                    .to_string();
                model.say(Tone::Bad, text);
                return;
            }
            let command = Command::VoidSale {
                sale_seq: *sale_seq,
                reason: reason.value().to_string(),
            };
            model.modal = None;
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            fx.push(Effect::Commit {
                commands: vec![command],
                purpose: Purpose::Void,
            });
        }
        _ => {}
    }
}

fn popup(model: &mut Model, action: Action) {
    let Some(modal) = &mut model.modal else {
        return;
    };
    let scroll = match modal {
        Modal::Help { scroll } | Modal::Details { scroll, .. } | Modal::Receipt { scroll, .. } => {
            scroll
        }
        _ => return,
    };
    match action {
        Action::Cancel | Action::Confirm => model.modal = None,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(500),
        Action::PageUp => *scroll = scroll.saturating_sub(PAGE_ROWS),
        Action::PageDown => *scroll = (*scroll + PAGE_ROWS).min(500),
        _ => {}
    }
}

fn receive_fields(source: SourceKind) -> &'static [ReceiveField] {
    match source {
        SourceKind::Purchase => &[
            ReceiveField::Goods,
            ReceiveField::Quantity,
            ReceiveField::Source,
            ReceiveField::Party,
            ReceiveField::Cost,
        ],
        _ => &[
            ReceiveField::Goods,
            ReceiveField::Quantity,
            ReceiveField::Source,
            ReceiveField::Party,
        ],
    }
}

fn receive(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let form = &mut model.receive;
    let fields = receive_fields(form.source);
    let at = fields.iter().position(|f| *f == form.field).unwrap_or(0);
    match action {
        Action::FieldNext => form.field = fields[(at + 1) % fields.len()],
        Action::FieldPrev => form.field = fields[(at + fields.len() - 1) % fields.len()],
        a if is_move(a) && form.field == ReceiveField::Goods => {
            move_selection(&mut form.goods_selected, form.goods_hits.len(), a);
        }
        Action::OptionNext if form.field == ReceiveField::Source => {
            form.source = form.source.next()
        }
        Action::OptionPrev if form.field == ReceiveField::Source => {
            form.source = form.source.prev()
        }
        Action::ClearInput => {
            if let Some(input) = active_input(model) {
                input.clear();
            }
            model.refresh_lists();
        }
        Action::Select => {
            if form.field == ReceiveField::Goods {
                let picked = form
                    .goods_hits
                    .get(form.goods_selected)
                    .and_then(|&i| model.data.goods.get(i));
                match picked {
                    Some(g) => form.goods_id = Some(g.goods.goods_id.clone()),
                    None => return,
                }
            }
            if at + 1 == fields.len() {
                submit_receive(model, fx);
            } else {
                form.field = fields[at + 1];
            }
        }
        Action::Submit => submit_receive(model, fx),
        _ => {}
    }
}

/// Parses yuan like `12`, `12.5` or `12.50` into fen.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut fen: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    if fraction.len() == 1 {
        fen *= 10;
    }
    whole.checked_mul(100)?.checked_add(fen)
}

fn submit_receive(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.access.is_monitor() {
        read_only_refusal(model);
        return;
    }
    let form = &model.receive;
    let problem = |zh: &str, en: &str| Some(model.t(zh, en).to_string());
    let mut error = None;
    let goods_id = form.goods_id.clone().unwrap_or_default();
    let quantity = form.quantity.value().parse::<i64>().unwrap_or(0);
    let party = form.party.value().to_string();
    let cost = parse_yuan(form.cost.value());
    if goods_id.is_empty() {
        error = problem(
            "请先选择商品（输入名称或扫码）",
            "choose the goods first (type its name or scan it)",
        );
    } else if quantity <= 0 {
        error = problem("请输入入库数量", "type the quantity received");
    } else if party.is_empty() {
        error = match form.source {
            SourceKind::Donation => problem("请填写捐赠人", "write the donor"),
            SourceKind::Purchase => problem("请填写资金来源", "write the fund"),
            SourceKind::Transfer => problem("请填写调出单位", "write who sent it"),
        };
    } else if form.source == SourceKind::Purchase && cost.is_none() {
        error = problem(
            "请填写采购金额（元，如 120.50）",
            "write the cost in yuan (e.g. 120.50)",
        );
    }
    if let Some(text) = error {
        model.say(Tone::Bad, text);
        return;
    }
    let source = match form.source {
        SourceKind::Donation => StockSource::Donation { donor: party },
        SourceKind::Purchase => StockSource::Purchase {
            fund: party,
            cost_fen: cost.unwrap_or(0),
        },
        SourceKind::Transfer => StockSource::Transfer { from: party },
    };
    fx.push(Effect::Commit {
        commands: vec![Command::ReceiveStock {
            goods_id,
            quantity,
            source,
        }],
        purpose: Purpose::Receive,
    });
}

/// What a typed score will do, for the grid's preview and its checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScorePreview {
    /// Nothing typed.
    Empty,
    /// Not a number.
    NotNumber,
    /// Outside the policy's range.
    OutOfRange,
    /// Already scored this period (one score per period).
    AlreadyScored,
    /// Over the per-period cap: the points it would earn.
    OverCap(i64),
    /// Fine: the points it will earn.
    Points(i64),
}

/// Previews the score typed for the household at `position` in the grid.
pub fn score_preview(model: &Model, policy: &Policy, position: usize) -> ScorePreview {
    let Some(h) = model.data.households.get(position) else {
        return ScorePreview::Empty;
    };
    let id = h.household_id;
    let Some(input) = model
        .scores
        .entries
        .get(id)
        .filter(|i| !i.value().is_empty())
    else {
        return ScorePreview::Empty;
    };
    let Ok(score) = input.value().parse::<i64>() else {
        return ScorePreview::NotNumber;
    };
    if score < policy.score_min || score > policy.score_max {
        return ScorePreview::OutOfRange;
    }
    let existing = model.scores.existing.get(id).cloned().unwrap_or_default();
    if policy.one_score_per_period && existing.entries > 0 {
        return ScorePreview::AlreadyScored;
    }
    let points = policy.points_for_score(score);
    if policy.points_cap_per_period > 0 && existing.points + points > policy.points_cap_per_period {
        return ScorePreview::OverCap(points);
    }
    ScorePreview::Points(points)
}

fn score_commands(model: &Model) -> Vec<Command> {
    let period = model.scores.period.clone();
    model
        .data
        .households
        .iter()
        .filter_map(|h| {
            let input = model.scores.entries.get(h.household_id)?;
            let score = input.value().parse::<i64>().ok()?;
            Some(Command::EnterScore {
                household_id: h.household_id.to_string(),
                period: period.clone(),
                score,
                note: String::new(),
            })
        })
        .collect()
}

fn scores(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            move_selection(&mut model.scores.selected, model.data.households.len(), a)
        }
        Action::ClearInput => {
            if let Some(input) = active_input(model) {
                input.clear();
            }
        }
        Action::PeriodPrev | Action::PeriodNext => {
            if model.scores.entries.values().any(|i| !i.value().is_empty()) {
                let text = model.t(
                    "本期还有未提交的分数：先提交（F5）或逐户清空",
                    "this period has scores not yet committed: commit (F5) or clear them first",
                );
                let text = text.to_string();
                model.say(Tone::Bad, text);
                return;
            }
            let Some(kind) = model.data.meta.as_ref().map(|m| m.policy.period) else {
                return;
            };
            let delta = if action == Action::PeriodNext { 1 } else { -1 };
            if let Some(p) = shift_period(&model.scores.period, kind, delta) {
                model.scores.period = p;
                model.scores.existing.clear();
                fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
            }
        }
        Action::Submit => {
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            let Some(policy) = model.data.meta.as_ref().map(|m| m.policy.clone()) else {
                return;
            };
            let mut count = 0;
            for i in 0..model.data.households.len() {
                match score_preview(model, &policy, i) {
                    ScorePreview::Empty => {}
                    ScorePreview::Points(_) => count += 1,
                    _ => {
                        model.scores.selected = i;
                        let text = model.t(
                            "有一户的分数不能提交（见红字）；改正或清空后再提交",
                            "a score cannot be committed (see the red row); fix or clear it first",
                        );
                        let text = text.to_string();
                        model.say(Tone::Bad, text);
                        return;
                    }
                }
            }
            if count == 0 {
                let text = model
                    .t("还没有录入任何分数", "no scores typed yet")
                    .to_string();
                model.say(Tone::Info, text);
                return;
            }
            model.modal = Some(Modal::Confirm(Question::CommitScores));
        }
        _ => {}
    }
}

/// Moves a period key by `delta` periods of its kind; `None` if the key is malformed.
pub fn shift_period(period: &str, kind: PeriodKind, delta: i32) -> Option<String> {
    let start =
        crate::domain::time::period_start(&crate::domain::event::PeriodKey(period.to_string()))?;
    let months = match kind {
        PeriodKind::Day => {
            let date = chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day)?;
            let moved = date.checked_add_signed(chrono::Duration::days(i64::from(delta)))?;
            return Some(moved.format("%Y-%m-%d").to_string());
        }
        PeriodKind::Month => delta,
        PeriodKind::Quarter => delta * 3,
    };
    let index = start.year * 12 + start.month as i32 - 1 + months;
    let date = CivilDate {
        year: index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
        day: 1,
    };
    Some(date.period(kind).0)
}

fn awards(model: &mut Model, action: Action) {
    let due = |model: &Model, seq: u64| {
        let days = model
            .data
            .meta
            .as_ref()
            .map(|m| m.policy.publicity_days)
            .unwrap_or(0);
        model
            .awards
            .pending
            .iter()
            .find(|a| a.seq == seq)
            .is_some_and(|a| model.now_ms >= publicity_until_ms(a.entered_ms, days))
    };
    match action {
        a if is_move(a) => {
            move_selection(&mut model.awards.selected, model.awards.pending.len(), a)
        }
        Action::ToggleMark => {
            let Some(seq) = model
                .awards
                .pending
                .get(model.awards.selected)
                .map(|a| a.seq)
            else {
                return;
            };
            if !due(model, seq) {
                let text = model
                    .t(
                        "公示期未满，还不能确认",
                        "publicity is not over yet; it cannot be confirmed",
                    )
                    .to_string();
                model.say(Tone::Bad, text);
            } else if !model.awards.marked.remove(&seq) {
                model.awards.marked.insert(seq);
            }
        }
        Action::MarkAll => {
            let seqs: Vec<u64> = model
                .awards
                .pending
                .iter()
                .map(|a| a.seq)
                .filter(|s| due(model, *s))
                .collect();
            model.awards.marked.extend(seqs);
        }
        Action::Submit => {
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            if model.awards.marked.is_empty() {
                let text = model.t(
                    "先用空格选中要确认的评分（a 选中全部期满的）",
                    "mark awards with Space first (a marks all that are due)",
                );
                let text = text.to_string();
                model.say(Tone::Info, text);
                return;
            }
            model.modal = Some(Modal::Confirm(Question::ConfirmAwards(
                model.awards.marked.iter().copied().collect(),
            )));
        }
        _ => {}
    }
}

/// When an award entered at `entered_ms` may be confirmed.
pub fn publicity_until_ms(entered_ms: i64, publicity_days: u32) -> i64 {
    entered_ms.saturating_add(i64::from(publicity_days) * 24 * 3600 * 1000)
}

fn day(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.day.scroll, model.day.events.len(), a),
        Action::DayPrev | Action::DayNext => {
            let delta = if action == Action::DayNext { 1 } else { -1 };
            let today = model.today().to_string();
            if let Some(date) = shift_period(&model.day.date, PeriodKind::Day, delta) {
                if date <= today {
                    model.day.date = date;
                    model.day.scroll = 0;
                    fx.push(Effect::Load(Query::Day(model.day.date.clone())));
                }
            }
        }
        Action::CloseDay => {
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            model.modal = Some(Modal::Confirm(Question::CloseDay(model.day.date.clone())));
        }
        _ => {}
    }
}

fn void(model: &mut Model, action: Action) {
    match action {
        a if is_move(a) => move_selection(&mut model.sales.selected, model.sales.sales.len(), a),
        Action::Select => {
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            let Some(sale) = model.sales.sales.get(model.sales.selected) else {
                return;
            };
            if sale.voided {
                let text = Refusal::AlreadyVoided(sale.seq).message(model.lang);
                model.say(Tone::Bad, text);
                return;
            }
            model.modal = Some(Modal::Reason {
                sale_seq: sale.seq,
                reason: Input::default(),
            });
        }
        _ => {}
    }
}

fn board(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.board.scroll, model.board.rows.len(), a),
        Action::PeriodPrev | Action::PeriodNext => {
            let Some(kind) = model.data.meta.as_ref().map(|m| m.policy.period) else {
                return;
            };
            let delta = if action == Action::PeriodNext { 1 } else { -1 };
            if let Some(p) = shift_period(&model.board.period, kind, delta) {
                model.board.period = p;
                model.board.scroll = 0;
                fx.push(Effect::Load(Query::Tallies(model.board.period.clone())));
            }
        }
        _ => {}
    }
}

fn setup(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    const FIELDS: [SetupField; 4] = [
        SetupField::StationId,
        SetupField::Name,
        SetupField::Role,
        SetupField::Policy,
    ];
    let form = &mut model.setup;
    let at = FIELDS.iter().position(|f| *f == form.field).unwrap_or(0);
    match action {
        Action::FieldNext => form.field = FIELDS[(at + 1) % FIELDS.len()],
        Action::FieldPrev => form.field = FIELDS[(at + FIELDS.len() - 1) % FIELDS.len()],
        Action::OptionNext | Action::OptionPrev => match form.field {
            SetupField::Role => form.township = !form.township,
            SetupField::Policy => {
                let len = BUILTIN.len();
                form.policy = if action == Action::OptionNext {
                    (form.policy + 1) % len
                } else {
                    (form.policy + len - 1) % len
                };
            }
            _ => {}
        },
        Action::ClearInput => {
            if let Some(input) = active_input(model) {
                input.clear();
            }
        }
        Action::Submit => submit_setup(model, fx),
        _ => {}
    }
}

fn submit_setup(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.access.is_monitor() {
        read_only_refusal(model);
        return;
    }
    let form = &model.setup;
    if form.station_id.value().is_empty() || form.name.value().is_empty() {
        let text = model
            .t("请填写站点编号和名称", "write the station id and name")
            .to_string();
        model.say(Tone::Bad, text);
        return;
    }
    let Some((stem, text)) = BUILTIN.get(form.policy) else {
        return;
    };
    let policy = match Policy::from_toml(text) {
        Ok(p) => p,
        Err(e) => {
            model.say(Tone::Bad, format!("{stem}: {e}"));
            return;
        }
    };
    let role = if form.township {
        StationRole::Township
    } else {
        StationRole::Village
    };
    let command = Command::Init {
        station_id: form.station_id.value().to_string(),
        name: form.name.value().to_string(),
        role,
        policy,
    };
    fx.push(Effect::Commit {
        commands: vec![command],
        purpose: Purpose::Setup,
    });
}

/// The USB sync screen: scroll the state, edit the folder, export or import. Both write (the
/// ledger, the stick, the `held/` folder), so in monitor mode they only say why not.
fn sync(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let last = super::view::sync_scroll_max(model);
            move_selection(&mut model.sync.scroll, last + 1, a);
        }
        Action::ClearInput => model.sync.folder.clear(),
        Action::Export | Action::Import => {
            if model.access.is_monitor() {
                read_only_refusal(model);
                return;
            }
            let folder = model.sync.folder.value();
            if folder.is_empty() {
                let text = model.t(
                    "先输入U盘上的文件夹，例如 /media/usb",
                    "type the folder on the USB stick first, e.g. /media/usb",
                );
                let text = text.to_string();
                model.say(Tone::Bad, text);
                return;
            }
            let folder = std::path::PathBuf::from(folder);
            fx.push(if action == Action::Export {
                Effect::Export { folder }
            } else {
                Effect::Import { folder }
            });
        }
        _ => {}
    }
}

fn on_synced(
    model: &mut Model,
    direction: SyncDirection,
    result: Result<Vec<SyncLine>, String>,
    fx: &mut Vec<Effect>,
) {
    model.sync.scroll = 0;
    match result {
        Ok(lines) => {
            let said = match direction {
                SyncDirection::Export => lines.last().map(|l| l.text.clone()).unwrap_or_default(),
                SyncDirection::Import => {
                    let files = lines.iter().filter(|l| !l.text.starts_with(' ')).count();
                    match model.lang {
                        crate::i18n::Lang::Zh => format!("已处理 {files} 个数据包，结果见下"),
                        crate::i18n::Lang::En => {
                            format!("{files} bundles processed; see below")
                        }
                    }
                }
            };
            let tone = if lines.iter().any(|l| l.tone == Tone::Bad) {
                Tone::Bad
            } else {
                Tone::Good
            };
            model.sync.outcome = lines;
            model.say(tone, said);
            if direction == SyncDirection::Import {
                model.refresh_lists();
                if let Some(id) = model.cart.household.clone() {
                    fx.push(Effect::Load(Query::Gate(id)));
                }
            }
        }
        Err(message) => {
            model.sync.outcome = vec![SyncLine {
                tone: Tone::Bad,
                text: message.clone(),
            }];
            model.say(Tone::Bad, message);
        }
    }
    fx.push(Effect::Load(Query::Sync));
}

fn on_committed(
    model: &mut Model,
    purpose: Purpose,
    result: Result<Vec<Event>, String>,
    fx: &mut Vec<Effect>,
) {
    let events = match result {
        Ok(events) => events,
        Err(message) => {
            model.say(Tone::Bad, message);
            return;
        }
    };
    model.refresh_lists();
    let t = |model: &Model, zh: &str, en: &str| model.t(zh, en).to_string();
    match purpose {
        Purpose::Setup => {
            model.screen = Screen::Till;
            let text = t(
                model,
                "本站已建立，可以开始登记农户和商品",
                "the station is set up; register households and goods next",
            );
            model.say(Tone::Good, text);
        }
        Purpose::Sale => {
            let sale = events
                .iter()
                .find(|e| matches!(e.body, EventBody::Redeemed { .. }));
            if let Some(event) = sale {
                let text = receipt::receipt(event, &model.data, model.lang).unwrap_or_default();
                fx.push(Effect::WriteReceipt {
                    file_name: receipt::file_name(event),
                    text: text.clone(),
                });
                model.modal = Some(Modal::Receipt {
                    text,
                    file: None,
                    scroll: 0,
                });
                let said = format!(
                    "{}{}",
                    t(model, "兑换成功，单号 ", "sale recorded, number "),
                    event.seq
                );
                model.say(Tone::Good, said);
            }
            model.cart.lines.clear();
            model.cart.selected = 0;
            if let Some(id) = model.cart.household.clone() {
                fx.push(Effect::Load(Query::Gate(id)));
            }
        }
        Purpose::Receive => {
            let name = model
                .receive
                .goods_id
                .as_deref()
                .and_then(|id| model.data.goods_by_id(id))
                .map(|g| g.goods.name.clone())
                .unwrap_or_default();
            let text = format!(
                "{}{name} × {}",
                model.t("已入库：", "received: "),
                model.receive.quantity.value()
            );
            let form = &mut model.receive;
            form.goods_id = None;
            form.goods_query.clear();
            form.quantity.clear();
            form.cost.clear();
            form.field = ReceiveField::Goods;
            model.refresh_lists();
            model.say(Tone::Good, text);
        }
        Purpose::Scores => {
            model.scores.entries.clear();
            let text = format!(
                "{}{}",
                t(
                    model,
                    "已录入评分，公示后确认生效：",
                    "scores entered, to be confirmed after publicity: "
                ),
                events.len()
            );
            model.say(Tone::Good, text);
            fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
        }
        Purpose::Awards => {
            model.awards.marked.clear();
            let text = format!(
                "{}{}",
                t(model, "已确认评分：", "awards confirmed: "),
                events.len()
            );
            model.say(Tone::Good, text);
            fx.push(Effect::Load(Query::PendingAwards));
        }
        Purpose::CloseDay => {
            let text = format!(
                "{}{}",
                model.day.date,
                t(model, " 已日结（Z）", " closed (Z)")
            );
            model.say(Tone::Good, text);
            fx.push(Effect::Load(Query::Day(model.day.date.clone())));
        }
        Purpose::Void => {
            let text = t(
                model,
                "已作废，积分和库存已退回",
                "voided: points and stock returned",
            );
            model.say(Tone::Good, text);
            fx.push(Effect::Load(Query::Sales));
            if let Some(id) = model.cart.household.clone() {
                fx.push(Effect::Load(Query::Gate(id)));
            }
        }
    }
}

fn on_loaded(model: &mut Model, loaded: Loaded) {
    match loaded {
        Loaded::Gate {
            household_id,
            result,
        } => {
            if model.cart.household.as_deref() == Some(household_id.as_str()) {
                model.cart.gate = match result {
                    Ok(()) => Gate::Open,
                    Err(m) => Gate::Closed(m),
                };
            }
        }
        Loaded::History {
            household_id,
            history,
        } => {
            if let Some(Modal::Details {
                household_id: shown,
                history: slot,
                ..
            }) = &mut model.modal
            {
                if *shown == household_id {
                    *slot = Some(history);
                }
            }
        }
        Loaded::Day {
            date,
            record,
            events,
        } => {
            if model.day.date == date {
                model.day.record = Some(record);
                model.day.events = events;
                model.day.scroll = model
                    .day
                    .scroll
                    .min(model.day.events.len().saturating_sub(1));
            }
        }
        Loaded::PendingAwards(pending) => {
            model
                .awards
                .marked
                .retain(|s| pending.iter().any(|a| a.seq == *s));
            model.awards.pending = pending;
            model.awards.selected = model
                .awards
                .selected
                .min(model.awards.pending.len().saturating_sub(1));
        }
        Loaded::Sales(sales) => {
            model.sales.sales = sales;
            model.sales.selected = model
                .sales
                .selected
                .min(model.sales.sales.len().saturating_sub(1));
        }
        Loaded::Tallies { period, tallies } => {
            if model.scores.period == period {
                model.scores.existing = tallies.iter().cloned().collect();
            }
            if model.board.period == period {
                let mut rows = tallies;
                rows.retain(|(_, t)| t.entries > 0);
                rows.sort_by(|a, b| {
                    b.1.points
                        .cmp(&a.1.points)
                        .then(b.1.score.cmp(&a.1.score))
                        .then(a.0.cmp(&b.0))
                });
                model.board.rows = rows;
                model.board.scroll = 0;
            }
        }
        Loaded::Sync(state) => {
            model.sync.state = Some(state);
            model.sync.scroll = model.sync.scroll.min(super::view::sync_scroll_max(model));
        }
        Loaded::Failed(message) => model.say(Tone::Bad, message),
    }
}

fn on_receipt_written(model: &mut Model, result: Result<String, String>) {
    match result {
        Ok(path) => {
            if let Some(Modal::Receipt { file, .. }) = &mut model.modal {
                *file = Some(path);
            }
        }
        Err(message) => {
            let text = format!(
                "{}{message}",
                model.t(
                    "小票文件没有写成（兑换已记账）：",
                    "the receipt file was not written (the sale is recorded): "
                )
            );
            model.say(Tone::Bad, text);
        }
    }
}
