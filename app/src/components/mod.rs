pub mod field;
pub mod guard;
pub mod layout;
pub mod theme_toggle;
