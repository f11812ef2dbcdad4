//! What an account is made of: an `Email`, a `Password` and its hashing,
//! a `Role`, a `DisplayName`. These values sit below both signing in
//! (`auth`) and the accounts resource (`users`), so the two depend on them
//! and `users` on `auth`, never the other way. Guests' comments use the
//! email and the name too.

mod display_name;
mod email;
mod password;
mod role;

pub use display_name::{DisplayName, DisplayNameError};
pub use email::{Email, EmailError};
pub use password::{
    HashError, Password, PasswordError, run_argon2, verify_against_no_account, verify_password,
};
pub use role::Role;
