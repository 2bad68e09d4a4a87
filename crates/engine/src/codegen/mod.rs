//! Copy as code: one endpoint's stack as configuration for a real resilience library.
//!
//! [`generate`] writes the stack of one endpoint of a parsed [`Scenario`] (presets already
//! filled in, so every value is at hand) as idiomatic code for a [`Target`]. Values are given in
//! the target's units and names (a retry's attempts become Polly's `MaxRetryAttempts` =
//! attempts − 1). A layer the target lacks, a setting it cannot express and a disabled layer
//! each get a comment naming the nearest equivalent: nothing is dropped silently.
//!
//! The libraries list their layers in different orders. Our stack is **outermost first**:
//!
//! ```text
//! target          written as                              first written =
//! resilience4j    Decorators.ofSupplier(f).withX().withY()  innermost (reversed); Spring
//!                 aspects: fixed order Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(f)))))
//!                 unless the *AspectOrder properties say otherwise (lower value = outer)
//! Polly v8        new ResiliencePipelineBuilder().AddX().AddY()   outermost
//! cockatiel       wrap(x, y)                                outermost
//! failsafe-go     failsafe.With(x, y)                       outermost
//! tower           ServiceBuilder::new().layer(x).layer(y)   outermost
//! ```

mod cockatiel;
mod common;
mod failsafe_go;
mod java;
mod polly;
mod resilience4j;
mod tower;
mod tower_policy;
mod writer;

use crate::scenario::Scenario;

/// A library the stack can be written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// resilience4j with Spring Boot: `application.yml`, the aspect order and the decorator chain.
    Resilience4j,
    /// Polly v8: a C# `ResiliencePipelineBuilder`.
    Polly,
    /// cockatiel: TypeScript policies joined by `wrap(...)`.
    Cockatiel,
    /// failsafe-go: Go policy builders joined by `failsafe.With(...)`.
    FailsafeGo,
    /// tower: a Rust `ServiceBuilder`.
    Tower,
}

impl Target {
    /// Every target, in menu order.
    pub const ALL: [Self; 5] = [Self::Resilience4j, Self::Polly, Self::Cockatiel, Self::FailsafeGo, Self::Tower];

    /// The word the command line uses (`failsafe-go`).
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Self::Resilience4j => "resilience4j",
            Self::Polly => "polly",
            Self::Cockatiel => "cockatiel",
            Self::FailsafeGo => "failsafe-go",
            Self::Tower => "tower",
        }
    }

    /// The library and what is written for it, as a menu says it.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Resilience4j => "resilience4j (Spring Boot application.yml)",
            Self::Polly => "Polly v8 (C#)",
            Self::Cockatiel => "cockatiel (TypeScript)",
            Self::FailsafeGo => "failsafe-go (Go)",
            Self::Tower => "tower (Rust)",
        }
    }

    /// The target spelled `word`, if any.
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|target| target.word() == word)
    }

    /// The file extension of the generated code (`yml`, `cs`, `ts`, `go`, `rs`).
    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Resilience4j => "yml",
            Self::Polly => "cs",
            Self::Cockatiel => "ts",
            Self::FailsafeGo => "go",
            Self::Tower => "rs",
        }
    }

    /// What starts a line comment in the target's language.
    #[must_use]
    pub const fn comment(self) -> &'static str {
        match self {
            Self::Resilience4j => "#",
            Self::Polly | Self::Cockatiel | Self::FailsafeGo | Self::Tower => "//",
        }
    }
}

/// The stack of endpoint `endpoint` (an index into `scenario.endpoints`) as code for `target`.
/// An index past the last endpoint gives a comment saying so (never a panic).
#[must_use]
pub fn generate(scenario: &Scenario, endpoint: usize, target: Target) -> String {
    let Some(cx) = common::Context::new(scenario, endpoint) else {
        let count = scenario.endpoints.len();
        return format!("{} No endpoint #{endpoint}: the scenario has {count} endpoint(s).\n", target.comment());
    };
    match target {
        Target::Resilience4j => resilience4j::generate(&cx),
        Target::Polly => polly::generate(&cx),
        Target::Cockatiel => cockatiel::generate(&cx),
        Target::FailsafeGo => failsafe_go::generate(&cx),
        Target::Tower => tower::generate(&cx),
    }
}

#[cfg(test)]
mod tests;
