pub mod dashboard;
pub mod landing;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
