pub mod field;
pub mod form;
pub mod guard;
pub mod layout;
pub mod status;
pub mod submit_button;
pub mod theme_toggle;
