//! zhucun's domain: the words of the product as types, the rules that hold whatever the storage,
//! and the access policy. Nothing here does I/O; everything here is tested as plain functions.

pub mod access;
pub mod activity;
pub mod auth;
pub mod calendar;
pub mod chars;
pub mod cooperative;
pub mod decision;
pub mod disclosure;
pub mod divisions;
pub mod handover;
pub mod household;
pub mod ledger;
pub mod need;
pub mod organisation;
pub mod paging;
pub mod pinyin;
pub mod presence;
pub mod project;
pub mod role;
pub mod survey;
pub mod text;
pub mod validation;

pub use access::{
    decide, list_scope, Action, Actor, Decision, ListScope, Resource, Target, VillageScope,
};
pub use role::Role;
pub use validation::{FieldError, Invalid};
