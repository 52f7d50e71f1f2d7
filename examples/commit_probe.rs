use aixin::domain::{Command, HouseholdRef};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut ledger = aixin::store::Ledger::open(std::path::Path::new(&path)).unwrap();
    let now = 1_790_820_000_000i64 + 61 * 24 * 3600 * 1000;
    let mut samples = vec![];
    for i in 0..300u64 {
        let who = (i * 7919 + 13) % 100_000;
        let c = Command::Redeem {
            household: HouseholdRef::Card(format!("LJ{who:07}")),
            lines: vec![("G00002".into(), 1)],
            proxy: None,
        };
        let t = Instant::now();
        ledger.execute("b", now, &c).unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("median {:.0} us", samples[150]);
}
