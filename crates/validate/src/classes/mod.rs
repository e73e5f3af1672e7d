//! Message classes of the W3C validator: identity, hierarchy and level.

pub mod ids;
mod table;

pub use table::CLASSES;

/// A message class (index into [`CLASSES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct C(pub u16);

/// Where a class sits in the validator's hierarchy of logged events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Subclass of `Error`.
    Error,
    /// Subclass of `Warning`.
    Warning,
    /// Informational notice (subclass of `Info`).
    Info,
    /// Success event (`Valid*`, subclass of `Success`).
    Success,
}

/// Static description of one class.
pub struct ClassInfo {
    /// Python class name.
    pub name: &'static str,
    /// Base class, if it is itself a message class.
    pub parent: Option<C>,
    /// Error, warning, notice or success.
    pub kind: Kind,
    /// English message template with `%(param)s` placeholders.
    pub template: &'static str,
}

impl C {
    /// Static information on the class.
    pub fn info(self) -> &'static ClassInfo {
        &CLASSES[self.0 as usize]
    }

    /// Error, warning, notice or success.
    pub fn kind(self) -> Kind {
        self.info().kind
    }

    /// True when `self` is `other` or one of its subclasses.
    pub fn is_a(self, other: C) -> bool {
        let mut c = Some(self);
        while let Some(x) = c {
            if x == other {
                return true;
            }
            c = x.info().parent;
        }
        false
    }

    /// The class of that name, if any.
    pub fn by_name(name: &str) -> Option<C> {
        CLASSES
            .iter()
            .position(|c| c.name == name)
            .map(|i| C(i as u16))
    }
}
