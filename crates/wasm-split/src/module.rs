//! A parsed module: its sections in order (to copy those nothing changes
//! byte for byte) and the index spaces the split needs to know.

use std::ops::Range;

use wasmparser::{
    BinaryReader, ExternalKind, FromReader, FunctionBody, GlobalType, MemoryType, Parser, Payload, SectionLimited,
    TableType, TypeRef,
};

use crate::Error;

/// One section of the input: its id and where its contents are.
#[derive(Clone, Debug)]
pub struct Section {
    /// The section id (0 for custom sections).
    pub id: u8,
    /// The contents, without the id and size.
    pub range: Range<usize>,
}

/// What the split and the instrumentation read of a module.
pub struct Module<'a> {
    /// The whole binary.
    pub bytes: &'a [u8],
    /// Every section, in order.
    pub sections: Vec<Section>,
    /// The type index of every function, imported ones first.
    pub func_types: Vec<u32>,
    /// How many functions are imported.
    pub imported_funcs: u32,
    /// Every table, imported ones first.
    pub tables: Vec<TableType>,
    /// Every memory, imported ones first.
    pub memories: Vec<MemoryType>,
    /// Every global, imported ones first.
    pub globals: Vec<GlobalType>,
    /// The parameter count of every type (`u32::MAX` for the types that
    /// are not function types).
    pub type_params: Vec<u32>,
    /// The result count of every type.
    pub type_results: Vec<u32>,
    /// Exports: name, kind, index.
    pub exports: Vec<(&'a str, ExternalKind, u32)>,
    /// The defined functions' bodies.
    pub bodies: Vec<FunctionBody<'a>>,
    /// The start function, if any.
    pub start: Option<u32>,
}

impl<'a> Module<'a> {
    /// Parses `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let mut module = Module {
            bytes,
            sections: Vec::new(),
            func_types: Vec::new(),
            imported_funcs: 0,
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            type_params: Vec::new(),
            type_results: Vec::new(),
            exports: Vec::new(),
            bodies: Vec::new(),
            start: None,
        };
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            if let Some((id, range)) = payload.as_section() {
                let range = usize::try_from(range.start).map_err(|_| too_big())?
                    ..usize::try_from(range.end).map_err(|_| too_big())?;
                module.sections.push(Section { id, range });
            }
            match payload {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for sub in group?.into_types() {
                            // Not a function type, or a shared one (whose
                            // functions may not touch the split's unshared
                            // global): counts no function type has.
                            let (params, results) = match &sub.composite_type.inner {
                                wasmparser::CompositeInnerType::Func(f) if !sub.composite_type.shared => {
                                    (count(f.params().len())?, count(f.results().len())?)
                                }
                                _ => (u32::MAX, u32::MAX),
                            };
                            module.type_params.push(params);
                            module.type_results.push(results);
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        match import?.ty {
                            TypeRef::Func(ty) => {
                                module.func_types.push(ty);
                                module.imported_funcs += 1;
                            }
                            TypeRef::Table(ty) => module.tables.push(ty),
                            TypeRef::Memory(ty) => module.memories.push(ty),
                            TypeRef::Global(ty) => module.globals.push(ty),
                            other => return Err(Error::Unsupported(format!("an import of {other:?}"))),
                        }
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        module.func_types.push(ty?);
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        module.tables.push(table?.ty);
                    }
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        module.memories.push(memory?);
                    }
                }
                Payload::GlobalSection(reader) => {
                    for global in reader {
                        module.globals.push(global?.ty);
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        module.exports.push((export.name, export.kind, export.index));
                    }
                }
                Payload::StartSection { func, .. } => module.start = Some(func),
                Payload::CodeSectionEntry(body) => module.bodies.push(body),
                Payload::TagSection(_) => return Err(Error::Unsupported("a tag section".into())),
                _ => {}
            }
        }
        Ok(module)
    }

    /// The contents of `section`.
    pub fn contents(&self, section: &Section) -> &'a [u8] {
        self.bytes.get(section.range.clone()).unwrap_or_default()
    }

    /// The first section with id `id` (custom sections aside).
    pub fn section(&self, id: u8) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id && id != 0)
    }

    /// A reader of the entries of `section`.
    pub fn reader<T: FromReader<'a>>(&self, section: &Section) -> Result<SectionLimited<'a, T>, Error> {
        let offset = u64::try_from(section.range.start).map_err(|_| too_big())?;
        Ok(SectionLimited::new(BinaryReader::new(self.contents(section), offset))?)
    }

    /// The module again, with the sections of `replaced` (id, encoded size
    /// and contents, as [`encoded`] gives) instead of the input's, or
    /// inserted at their place when the input has none of that id; what
    /// becomes of a custom section, `custom` says from its name and
    /// contents.
    pub fn assemble(
        &self,
        mut replaced: Vec<(u8, Vec<u8>)>,
        custom: impl Fn(&str, &[u8]) -> Result<Custom, Error>,
    ) -> Result<Vec<u8>, Error> {
        replaced.sort_by_key(|(id, _)| rank(*id));
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        let mut pending = replaced.into_iter().peekable();
        for section in &self.sections {
            if section.id != 0 {
                let mut was_replaced = false;
                while let Some((id, bytes)) = pending.next_if(|(id, _)| rank(*id) <= rank(section.id)) {
                    was_replaced |= id == section.id;
                    out.push(id);
                    out.extend(bytes);
                }
                if was_replaced {
                    continue;
                }
            }
            if section.id == 0 {
                let mut reader = BinaryReader::new(self.contents(section), 0);
                let name = reader.read_string()?;
                let rest = &self.contents(section)[reader.current_position()..];
                match custom(name, rest)? {
                    Custom::Keep => {}
                    Custom::Drop => continue,
                    Custom::Replace(contents) => {
                        let mut named = Vec::new();
                        wasm_encoder::Encode::encode(name, &mut named);
                        named.extend(contents);
                        out.push(0);
                        wasm_encoder::Encode::encode(&named[..], &mut out);
                        continue;
                    }
                }
            }
            out.push(section.id);
            wasm_encoder::Encode::encode(self.contents(section), &mut out);
        }
        for (id, bytes) in pending {
            out.push(id);
            out.extend(bytes);
        }
        Ok(out)
    }

    /// The function index of defined function `i`.
    pub fn defined_index(&self, i: usize) -> Result<u32, Error> {
        Ok(self.imported_funcs + count(i)?)
    }

    /// The index of the exported function `name`.
    pub fn exported_function(&self, name: &str) -> Option<u32> {
        self.exports.iter().find(|(n, kind, _)| *n == name && *kind == ExternalKind::Func).map(|(_, _, i)| *i)
    }

    /// The parameter count of function `func`.
    pub fn params_of(&self, func: u32) -> Result<u32, Error> {
        let ty = self.func_type(func)?;
        self.type_params.get(ty as usize).copied().ok_or_else(|| missing("type", ty))
    }

    /// The type index of function `func`.
    pub fn func_type(&self, func: u32) -> Result<u32, Error> {
        self.func_types.get(func as usize).copied().ok_or_else(|| missing("function", func))
    }

    /// How many functions there are, imported ones included.
    pub fn func_count(&self) -> Result<u32, Error> {
        count(self.func_types.len())
    }
}

/// What [`Module::assemble`] does with a custom section.
pub enum Custom {
    /// Copies it byte for byte.
    Keep,
    /// Leaves it out.
    Drop,
    /// Writes these contents under the same name.
    Replace(Vec<u8>),
}

/// A section of wasm-encoder's, encoded as it follows its id: its size,
/// then its contents.
pub fn encoded(section: &impl wasm_encoder::Encode) -> Vec<u8> {
    let mut bytes = Vec::new();
    section.encode(&mut bytes);
    bytes
}

fn too_big() -> Error {
    Error::Unsupported("a module larger than this machine's addresses".into())
}

/// Where a section of id `id` goes: the spec's order of sections (the data
/// count section comes before the code section).
fn rank(id: u8) -> u8 {
    match id {
        13 => 6, // tags, after memories
        6..=9 => id + 1,
        12 => 11, // data count, before code
        10 => 12,
        11 => 13,
        other => other,
    }
}

/// A length as a wasm count.
pub fn count(n: usize) -> Result<u32, Error> {
    u32::try_from(n).map_err(|_| Error::Unsupported(format!("{n} entries")))
}

/// An index that is not in its space.
pub fn missing(what: &str, index: u32) -> Error {
    Error::Unsupported(format!("no {what} {index}"))
}

/// The section ids of the core spec, in the order they must appear.
pub mod id {
    /// Type section.
    pub const TYPE: u8 = 1;
    /// Import section.
    pub const IMPORT: u8 = 2;
    /// Function section.
    pub const FUNCTION: u8 = 3;
    /// Table section.
    pub const TABLE: u8 = 4;
    /// Memory section.
    pub const MEMORY: u8 = 5;
    /// Global section.
    pub const GLOBAL: u8 = 6;
    /// Export section.
    pub const EXPORT: u8 = 7;
    /// Element section.
    pub const ELEMENT: u8 = 9;
    /// Start section.
    pub const START: u8 = 8;
    /// Code section.
    pub const CODE: u8 = 10;
}
