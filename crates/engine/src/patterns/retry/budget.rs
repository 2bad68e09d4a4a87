//! Retry budgets: a cap on retries across all the calls (and layers) that draw on one budget,
//! so that retries cannot multiply the load on a failing service. Three libraries' rules:
//!
//! - **tower `TpsBudget`**: each success deposits, each retry withdraws; the balance is the
//!   deposits of the last `ttl` (10 slots) plus a reserve of `min_per_sec · ttl`; a retry is
//!   allowed while the balance covers its withdrawal. About `min_per_sec · ttl +
//!   retry_percent · successes` retries per `ttl`.
//! - **Envoy `retry_budget`**: retries in flight at once stay below
//!   `max(budget_percent · active requests, min_retry_concurrency)` (retries waiting out their
//!   backoff do not count, envoy#30205).
//! - **AWS SDK retry quota**: a bucket of tokens (500); a retry costs 5 (a timeout 10); a first
//!   attempt that succeeds adds 1, a retried request that succeeds refunds its last retry.
//!
//! ```text
//!   failed attempt ──retry allowed by the policy──> budget.try_retry ──Some(cost)──> retry
//!                                                                  └──None────────> give up
//!   success ──> budget.on_success (deposit, refund);  request in / out ──> Envoy's counts
//! ```

/// A budget's state.
#[derive(Clone, Debug)]
pub enum Budget {
    /// tower's `TpsBudget`.
    Tps(TpsBudget),
    /// Envoy's `retry_budget`.
    Envoy(EnvoyBudget),
    /// The AWS SDKs' retry quota.
    Aws(AwsQuota),
}

impl Budget {
    /// A request entered a layer drawing on the budget.
    pub fn on_request_start(&mut self) {
        if let Self::Envoy(b) = self {
            b.active_requests += 1;
        }
    }

    /// A request left it (answered or abandoned).
    pub fn on_request_end(&mut self) {
        if let Self::Envoy(b) = self {
            b.active_requests = b.active_requests.saturating_sub(1);
        }
    }

    /// A retry attempt started (after its backoff) or ended.
    pub fn on_retry_in_flight(&mut self, started: bool) {
        if let Self::Envoy(b) = self {
            b.active_retries = if started { b.active_retries + 1 } else { b.active_retries.saturating_sub(1) };
        }
    }

    /// A request succeeded at `now_us`; `retried_cost` is the cost of its last retry (`None`:
    /// it succeeded on its first attempt).
    pub fn on_success(&mut self, now_us: u64, retried_cost: Option<u32>) {
        match self {
            Self::Tps(b) => b.deposit(now_us),
            Self::Envoy(_) => {}
            Self::Aws(q) => q.refund(retried_cost),
        }
    }

    /// Asks for one retry at `now_us` after a failure (`timeout`: it timed out). `Some(cost)`
    /// when allowed (the cost to refund on success: AWS only, else 0).
    pub fn try_retry(&mut self, now_us: u64, timeout: bool) -> Option<u32> {
        match self {
            Self::Tps(b) => b.withdraw(now_us).then_some(0),
            Self::Envoy(b) => b.allows().then_some(0),
            Self::Aws(q) => q.take(timeout),
        }
    }
}

/// tower's `TpsBudget`, slot for slot.
#[derive(Clone, Debug)]
pub struct TpsBudget {
    slot_us: u64,
    slots: [i64; 10],
    index: usize,
    /// When the current slot started.
    slot_start_us: u64,
    writer: i64,
    reserve: i64,
    deposit_amount: i64,
    withdraw_amount: i64,
}

impl TpsBudget {
    /// A budget keeping deposits for `ttl_us`, with `min_per_sec` retries always allowed and
    /// `retry_ratio` retries per success (0.2 = 20 %).
    #[must_use]
    pub fn new(ttl_us: u64, min_per_sec: u32, retry_ratio: f64) -> Self {
        let (deposit_amount, withdraw_amount) = if retry_ratio <= 0.0 {
            (0, 1)
        } else if retry_ratio <= 1.0 {
            (1, (1.0 / retry_ratio) as i64)
        } else {
            (1_000, (1_000.0 / retry_ratio) as i64)
        };
        let withdraw_amount = withdraw_amount.max(1);
        let reserve =
            i64::from(min_per_sec).saturating_mul((ttl_us / 1_000_000) as i64).saturating_mul(withdraw_amount);
        Self {
            slot_us: (ttl_us / 10).max(1),
            slots: [0; 10],
            index: 0,
            slot_start_us: 0,
            writer: 0,
            reserve,
            deposit_amount,
            withdraw_amount,
        }
    }

    /// Commits the writer into its slot when a slot's time has passed, zeroing skipped slots.
    fn expire(&mut self, now_us: u64) {
        let elapsed = now_us.saturating_sub(self.slot_start_us);
        if elapsed < self.slot_us {
            return;
        }
        self.slots[self.index] = core::mem::take(&mut self.writer);
        // tower zeroes one slot per further whole slot elapsed (strictly more than a slot).
        let skipped = elapsed.div_ceil(self.slot_us).saturating_sub(1);
        for step in 0..skipped.min(10) {
            self.slots[(self.index + 1 + step as usize) % 10] = 0;
        }
        self.index = ((self.index as u64 + 1 + skipped) % 10) as usize;
        self.slot_start_us = now_us;
    }

    fn balance(&self) -> i64 {
        self.slots.iter().fold(self.writer, |sum, slot| sum.saturating_add(*slot)).saturating_add(self.reserve)
    }

    fn deposit(&mut self, now_us: u64) {
        self.expire(now_us);
        self.writer = self.writer.saturating_add(self.deposit_amount);
    }

    fn withdraw(&mut self, now_us: u64) -> bool {
        self.expire(now_us);
        let allowed = self.balance() >= self.withdraw_amount;
        if allowed {
            self.writer = self.writer.saturating_sub(self.withdraw_amount);
        }
        allowed
    }
}

/// Envoy's `retry_budget`.
#[derive(Clone, Debug)]
pub struct EnvoyBudget {
    budget_ratio: f64,
    min_retry_concurrency: u32,
    active_requests: u32,
    active_retries: u32,
}

impl EnvoyBudget {
    /// At most `budget_ratio` (0.2 = 20 %) of active requests as retries in flight, and never
    /// fewer than `min_retry_concurrency`.
    #[must_use]
    pub const fn new(budget_ratio: f64, min_retry_concurrency: u32) -> Self {
        Self { budget_ratio, min_retry_concurrency, active_requests: 0, active_retries: 0 }
    }

    fn allows(&self) -> bool {
        let by_share = (self.budget_ratio * f64::from(self.active_requests)) as u32;
        self.active_retries < by_share.max(self.min_retry_concurrency)
    }
}

/// The AWS SDKs' retry quota.
#[derive(Clone, Debug)]
pub struct AwsQuota {
    capacity: u32,
    tokens: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_increment: u32,
}

impl AwsQuota {
    /// A full bucket of `capacity` tokens.
    #[must_use]
    pub const fn new(capacity: u32, retry_cost: u32, timeout_cost: u32, success_increment: u32) -> Self {
        Self { capacity, tokens: capacity, retry_cost, timeout_cost, success_increment }
    }

    /// Tokens left.
    #[must_use]
    pub const fn tokens(&self) -> u32 {
        self.tokens
    }

    fn take(&mut self, timeout: bool) -> Option<u32> {
        let cost = if timeout { self.timeout_cost } else { self.retry_cost };
        let left = self.tokens.checked_sub(cost)?;
        self.tokens = left;
        Some(cost)
    }

    fn refund(&mut self, retried_cost: Option<u32>) {
        let back = retried_cost.unwrap_or(self.success_increment);
        self.tokens = self.tokens.saturating_add(back).min(self.capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000;

    #[test]
    fn tps_budget_reserve_then_deposits_as_tower() {
        // tower's default: TpsBudget::new(10 s, 10, 0.2): withdraw 5, reserve 10 · 10 · 5 = 500.
        let mut budget = Budget::Tps(TpsBudget::new(10 * S, 10, 0.2));
        let allowed = (0..200).filter(|_| budget.try_retry(0, false).is_some()).count();
        assert_eq!(allowed, 100, "the reserve allows min_per_sec · ttl retries");
        for _ in 0..5 {
            budget.on_success(0, None);
        }
        assert!(budget.try_retry(0, false).is_some(), "5 successes pay for one more retry at 20 %");
        assert!(budget.try_retry(0, false).is_none());
    }

    #[test]
    fn tps_deposits_expire_after_the_ttl() {
        let mut budget = TpsBudget::new(10 * S, 0, 1.0);
        budget.deposit(0);
        assert!(budget.withdraw(5 * S) && !budget.withdraw(5 * S));
        budget.deposit(5 * S);
        // Eleven seconds later every slot has turned over: nothing is left to withdraw.
        assert!(!budget.withdraw(16 * S + 1));
        assert_eq!(budget.balance(), 0);
    }

    #[test]
    fn envoy_budget_counts_retries_in_flight_against_active_requests() {
        let mut budget = Budget::Envoy(EnvoyBudget::new(0.2, 3));
        for _ in 0..3 {
            assert!(budget.try_retry(0, false).is_some());
            budget.on_retry_in_flight(true);
        }
        assert!(budget.try_retry(0, false).is_none(), "min_retry_concurrency 3 with no requests");
        for _ in 0..100 {
            budget.on_request_start();
        }
        let more = (0..50)
            .take_while(|_| {
                let ok = budget.try_retry(0, false).is_some();
                budget.on_retry_in_flight(ok);
                ok
            })
            .count();
        assert_eq!(more, 17, "20 % of 100 requests in flight, 3 already used");
    }

    #[test]
    fn aws_quota_charges_timeouts_more_and_refunds_on_success() {
        let mut budget = Budget::Aws(AwsQuota::new(500, 5, 10, 1));
        assert_eq!(budget.try_retry(0, true), Some(10));
        assert_eq!((0..200).filter(|_| budget.try_retry(0, false).is_some()).count(), 98);
        assert_eq!(budget.try_retry(0, false), None, "the quota never goes below zero");
        budget.on_success(0, Some(5));
        budget.on_success(0, None);
        let Budget::Aws(quota) = &budget else { unreachable!() };
        assert_eq!(quota.tokens(), 6);
    }
}
