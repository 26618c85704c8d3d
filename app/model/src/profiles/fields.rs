//! A JSON request body read field by field, as the profiles' frameworks do:
//! every problem is collected with where it is and what kind it is, so each
//! profile can answer in its own error form.

use serde::Serialize;
use serde_json::{Map, Value};

/// One step of where a problem is: a field name or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum LocPart {
    Field(String),
    Index(usize),
}

/// One problem with a request: where (`["actions", 0]`), a readable message
/// and its kind in pydantic's words (`missing`, `string_too_long`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    pub loc: Vec<LocPart>,
    pub message: String,
    pub kind: &'static str,
}

impl FieldIssue {
    pub fn new(field: &str, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            loc: vec![LocPart::Field(field.to_owned())],
            message: message.into(),
            kind,
        }
    }

    /// The location as one string, `events[0]`, for error forms that have no list.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for part in &self.loc {
            match part {
                LocPart::Field(name) if path.is_empty() => path.push_str(name),
                LocPart::Field(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                LocPart::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }
}

/// Reads the named fields of a JSON object; anything else is refused.
pub struct FieldReader<'a> {
    object: &'a Map<String, Value>,
    known: Vec<&'static str>,
    issues: Vec<FieldIssue>,
}

/// The body as a JSON object, or the one problem that makes it none.
pub fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, FieldIssue> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(FieldIssue {
            loc: Vec::new(),
            message: "Input should be a valid dictionary or object to extract fields from"
                .to_owned(),
            kind: "model_attributes_type",
        }),
        Err(error) => Err(FieldIssue {
            loc: Vec::new(),
            message: format!("JSON decode error: {error}"),
            kind: "json_invalid",
        }),
    }
}

impl<'a> FieldReader<'a> {
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Self {
            object,
            known: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// The field's value; `None` when absent or `null`.
    fn value(&mut self, name: &'static str) -> Option<&'a Value> {
        self.known.push(name);
        self.object.get(name).filter(|value| !value.is_null())
    }

    /// Records that a field is required: absent is `missing`, `null` is a
    /// `kind` error (`string_type`, `list_type`) with `message`.
    pub fn require(&mut self, name: &'static str, kind: &'static str, message: &str) {
        match self.object.get(name) {
            None => self.push(name, "missing", "Field required"),
            Some(Value::Null) => self.push(name, kind, message),
            Some(_) => {}
        }
    }

    /// A string of `min` to `max` characters.
    pub fn text(&mut self, name: &'static str, min: usize, max: usize) -> Option<String> {
        let text = self.value(name).and_then(|value| match value.as_str() {
            Some(text) => Some(text),
            None => {
                self.push(name, "string_type", "Input should be a valid string");
                None
            }
        })?;
        let chars = text.chars().count();
        if text.contains('\0') {
            self.push(
                name,
                "value_error",
                "Value error, text must not contain NUL characters",
            );
        } else if chars < min {
            let s = if min == 1 { "" } else { "s" };
            let message = format!("String should have at least {min} character{s}");
            self.push(name, "string_too_short", message);
        } else if chars > max {
            let message = format!("String should have at most {max} characters");
            self.push(name, "string_too_long", message);
        } else {
            return Some(text.to_owned());
        }
        None
    }

    /// An integer from `min` to `max`.
    pub fn integer(&mut self, name: &'static str, min: u32, max: u32) -> Option<u32> {
        let value = self.value(name)?;
        let Some(number) = value.as_i64().or_else(|| whole_float(value)) else {
            self.push(name, "int_type", "Input should be a valid integer");
            return None;
        };
        if number < i64::from(min) {
            let message = format!("Input should be greater than or equal to {min}");
            self.push(name, "greater_than_equal", message);
        } else if number > i64::from(max) {
            let message = format!("Input should be less than or equal to {max}");
            self.push(name, "less_than_equal", message);
        } else {
            return u32::try_from(number).ok();
        }
        None
    }

    pub fn boolean(&mut self, name: &'static str) -> Option<bool> {
        let value = self.value(name)?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.push(name, "bool_type", "Input should be a valid boolean");
        }
        flag
    }

    /// A list of strings.
    pub fn texts(&mut self, name: &'static str) -> Option<Vec<String>> {
        let Some(items) = self.value(name)?.as_array() else {
            self.push(name, "list_type", "Input should be a valid list");
            return None;
        };
        let mut texts = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(text) => texts.push(text.to_owned()),
                None => self.issues.push(FieldIssue {
                    loc: vec![LocPart::Field(name.to_owned()), LocPart::Index(index)],
                    message: "Input should be a valid string".to_owned(),
                    kind: "string_type",
                }),
            }
        }
        (texts.len() == items.len()).then_some(texts)
    }

    /// Records a problem the caller found with a field it read.
    pub fn push(&mut self, name: &str, kind: &'static str, message: impl Into<String>) {
        self.issues.push(FieldIssue::new(name, kind, message));
    }

    /// Refuses the fields nobody read, then hands back every problem found.
    pub fn finish(mut self) -> Result<(), Vec<FieldIssue>> {
        for name in self.object.keys() {
            if !self.known.contains(&name.as_str()) {
                self.issues.push(FieldIssue::new(
                    name,
                    "extra_forbidden",
                    "Extra inputs are not permitted",
                ));
            }
        }
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self.issues)
        }
    }
}

/// `30.0` is the integer 30, as pydantic reads it; `30.5` is no integer.
fn whole_float(value: &Value) -> Option<i64> {
    let float = value.as_f64()?;
    (float.fract() == 0.0 && float.abs() < 1e15).then_some(float as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value, read: impl FnOnce(&mut FieldReader)) -> Vec<FieldIssue> {
        let object = body.as_object().unwrap().clone();
        let mut reader = FieldReader::new(&object);
        read(&mut reader);
        reader.finish().err().unwrap_or_default()
    }

    #[test]
    fn every_problem_is_collected_with_its_place_and_kind() {
        let issues = read(
            json!({"name": "", "n": 61, "tags": ["a", 2], "flag": "yes", "other": 1}),
            |reader| {
                reader.text("name", 1, 150);
                reader.integer("n", 1, 60);
                reader.texts("tags");
                reader.boolean("flag");
                reader.require("url", "string_type", "Input should be a valid string");
            },
        );
        let found: Vec<(String, &str)> = issues
            .iter()
            .map(|issue| (issue.path(), issue.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("name".to_owned(), "string_too_short"),
                ("n".to_owned(), "less_than_equal"),
                ("tags[1]".to_owned(), "string_type"),
                ("flag".to_owned(), "bool_type"),
                ("url".to_owned(), "missing"),
                ("other".to_owned(), "extra_forbidden"),
            ]
        );
    }

    #[test]
    fn null_reads_as_absent_and_whole_floats_as_integers() {
        let object = json!({"name": null, "n": 30.0, "m": 2.5});
        let object = object.as_object().unwrap();
        let mut reader = FieldReader::new(object);
        assert_eq!(reader.text("name", 1, 10), None);
        assert_eq!(reader.integer("n", 1, 60), Some(30));
        assert_eq!(reader.integer("m", 1, 60), None);
        let issues = reader.finish().unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, "int_type");
    }

    #[test]
    fn a_body_that_is_no_object_is_one_problem() {
        assert_eq!(
            json_object(b"[1]").unwrap_err().kind,
            "model_attributes_type"
        );
        assert_eq!(json_object(b"{\"a\":").unwrap_err().kind, "json_invalid");
        assert!(json_object(b"{}").unwrap().is_empty());
    }
}
