//! The split itself: see the crate's documentation for the layout.

use std::collections::{BTreeMap, BTreeSet};

use wasm_encoder::reencode::{Error as ReencodeError, Reencode, RoundtripReencoder};
use wasm_encoder::{
    ConstExpr, ElementMode, ElementSection, Elements, EntityType, ExportKind, Function, FunctionSection, GlobalType,
    ImportSection, Instruction, RefType, TableType, ValType,
};
use wasmparser::{ExternalKind, FunctionBody, Operator};

use crate::module::{count, encoded, id, missing, Custom, Module};
use crate::{Error, IMPORT_MODULE, LOADED_EXPORT, LOADER_EXPORT, TABLE_EXPORT};

/// The two modules a split gives.
pub struct Split {
    /// The module the page loads first: the profiled functions' bodies,
    /// and a trampoline for every moved function it can still call.
    pub primary: Vec<u8>,
    /// The other functions' bodies, loaded after start-up.
    pub secondary: Vec<u8>,
    /// What went where.
    pub stats: SplitStats,
    /// The name of the primary's export that the secondary imports so that
    /// it links only with its own primary: `__split_id_` and a hash of the
    /// input and of what moved.
    pub id: String,
    /// The features both halves were validated with: the input's
    /// ([`crate::features_of`]).
    pub features: wasmparser::WasmFeatures,
}

/// Counts of a split, for the build's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitStats {
    /// Defined functions whose bodies stay in the primary.
    pub kept: usize,
    /// Of those, the ones the profile did not name but that must stay:
    /// the loader and what it calls, and bodies that use data or element
    /// segments or take a function's reference.
    pub pinned: usize,
    /// Defined functions moved to the secondary.
    pub moved: usize,
    /// Of those, the ones only moved code calls: they have no trampoline
    /// in the primary, and no place (the primary's indices of the functions
    /// after them are lower).
    pub stubs: usize,
}

/// Splits `bytes`: the functions whose indices are in `profile` stay in
/// the primary, the others move (see the crate's documentation). Both
/// outputs are validated before they are returned.
pub fn split(bytes: &[u8], profile: &[u32]) -> Result<Split, Error> {
    let module = Module::parse(bytes)?;
    let loader = module
        .exported_function(LOADER_EXPORT)
        .ok_or_else(|| Error::Unsupported(format!("the module exports no function {LOADER_EXPORT}")))?;
    // The split's own exports (LOADED_EXPORT, TABLE_EXPORT and the rest)
    // all start with EXPORT_PREFIX.
    if let Some((name, _, _)) = module.exports.iter().find(|(n, _, _)| n.starts_with(EXPORT_PREFIX)) {
        return Err(Error::Unsupported(format!("the module already exports {name} ({EXPORT_PREFIX}* is the split's)")));
    }
    // What each body refers to, read once.
    let uses = (0..module.bodies.len())
        .map(|i| scan(&module, module.defined_index(i)?))
        .collect::<Result<Vec<Uses>, Error>>()?;
    let uses_of = |func: u32| uses.get((func - module.imported_funcs) as usize);

    // What stays: the profile, and the loader and the start function with
    // everything they call directly (a moved function there would call the
    // loader again before it has returned, or before the exports it needs
    // exist).
    let hot: BTreeSet<u32> = profile.iter().copied().collect();
    let mut pinned = BTreeSet::new();
    let mut stack: Vec<u32> = std::iter::once(loader).chain(module.start).collect();
    while let Some(func) = stack.pop() {
        if func < module.imported_funcs || !pinned.insert(func) {
            continue;
        }
        stack.extend(uses_of(func).ok_or_else(|| missing("defined function", func))?.functions_called_directly.iter());
    }

    // What moves, and what each moved body needs from the primary.
    let mut cold = Vec::new();
    let mut needs = Uses::default();
    for (i, body_uses) in uses.iter().enumerate() {
        let func = module.defined_index(i)?;
        if hot.contains(&func) || pinned.contains(&func) {
            continue;
        }
        if body_uses.unmovable {
            pinned.insert(func);
            continue;
        }
        needs.merge(body_uses);
        cold.push(func);
    }
    let slot: BTreeMap<u32, u32> =
        cold.iter().enumerate().map(|(i, f)| Ok((*f, count(i)?))).collect::<Result<_, Error>>()?;
    // The moved functions the primary can still reach: called by kept
    // code, in an element segment, exported, or the start function. The
    // others are only ever called from the secondary, so their place in the
    // primary needs no trampoline.
    let mut reachable = referenced_outside_code(&module)?;
    let mut tail_calls = needs.tail_calls;
    for (i, body_uses) in uses.iter().enumerate() {
        if !slot.contains_key(&module.defined_index(i)?) {
            tail_calls |= body_uses.tail_calls;
            reachable.extend(&body_uses.functions);
        }
    }
    let stats = SplitStats {
        kept: module.bodies.len() - cold.len(),
        pinned: pinned.iter().filter(|f| !hot.contains(f)).count(),
        moved: cold.len(),
        stubs: cold.iter().filter(|f| !reachable.contains(f)).count(),
    };
    let id = identity(bytes, &cold);
    let layout = Layout::new(&module, &cold, &slot, &reachable, &needs, tail_calls, &id)?;
    let primary = primary(&module, &layout, loader)?;
    let features = crate::features_of(bytes)?;
    crate::validate_with(features, &primary)?;
    let secondary = secondary(&module, &layout)?;
    crate::validate_with(features, &secondary)?;
    Ok(Split { primary, secondary, stats, id, features })
}

/// The name of the export that ties the two halves of one split together:
/// two splits differ only if their inputs or their moved functions do, and
/// then so do their names (the same build of this tool makes both halves,
/// so the hasher need not be stable across Rust versions).
fn identity(bytes: &[u8], cold: &[u32]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    cold.hash(&mut hasher);
    format!("{EXPORT_PREFIX}id_{:016x}", hasher.finish())
}

/// The prefix of the names the primary exports for the secondary.
const EXPORT_PREFIX: &str = "__split_";

/// The functions named outside the code: in element segments, exports,
/// the start section, and the initializers of tables and globals.
fn referenced_outside_code(module: &Module) -> Result<BTreeSet<u32>, Error> {
    let mut functions = BTreeSet::new();
    if let Some(section) = module.section(id::TABLE) {
        for table in module.reader::<wasmparser::Table>(section)? {
            if let wasmparser::TableInit::Expr(expr) = table?.init {
                named_by(&expr, &mut functions)?;
            }
        }
    }
    if let Some(section) = module.section(id::GLOBAL) {
        for global in module.reader::<wasmparser::Global>(section)? {
            named_by(&global?.init_expr, &mut functions)?;
        }
    }
    functions.extend(module.start);
    functions.extend(module.exports.iter().filter(|(_, kind, _)| *kind == ExternalKind::Func).map(|(_, _, f)| *f));
    if let Some(section) = module.section(id::ELEMENT) {
        for element in module.reader::<wasmparser::Element>(section)? {
            match element?.items {
                wasmparser::ElementItems::Functions(items) => {
                    for func in items {
                        functions.insert(func?);
                    }
                }
                wasmparser::ElementItems::Expressions(_, items) => {
                    for expr in items {
                        named_by(&expr?, &mut functions)?;
                    }
                }
            }
        }
    }
    Ok(functions)
}

/// Adds the functions a constant expression names to `functions`.
fn named_by(expr: &wasmparser::ConstExpr, functions: &mut BTreeSet<u32>) -> Result<(), Error> {
    for op in expr.get_operators_reader() {
        if let Operator::RefFunc { function_index } = op? {
            functions.insert(function_index);
        }
    }
    Ok(())
}

/// What one or more bodies refer to.
#[derive(Default)]
struct Uses {
    functions: BTreeSet<u32>,
    functions_called_directly: BTreeSet<u32>,
    tables: BTreeSet<u32>,
    globals: BTreeSet<u32>,
    memories: BTreeSet<u32>,
    unmovable: bool,
    /// Whether a body makes a tail call (`return_call*`).
    tail_calls: bool,
}

impl Uses {
    fn merge(&mut self, other: &Uses) {
        self.functions.extend(&other.functions);
        self.tables.extend(&other.tables);
        self.globals.extend(&other.globals);
        self.memories.extend(&other.memories);
        self.tail_calls |= other.tail_calls;
    }
}

/// Everything function `func`'s body refers to, found by re-encoding it
/// (the re-encoder asks for every index an instruction holds).
fn scan(module: &Module, func: u32) -> Result<Uses, Error> {
    let body = body_of(module, func)?;
    let mut scanner = Scanner::default();
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let op = reader.read()?;
        match op {
            Operator::Call { function_index } => {
                scanner.uses.functions_called_directly.insert(function_index);
            }
            Operator::ReturnCall { function_index } => {
                scanner.uses.functions_called_directly.insert(function_index);
                scanner.uses.tail_calls = true;
            }
            Operator::ReturnCallIndirect { .. } | Operator::ReturnCallRef { .. } => scanner.uses.tail_calls = true,
            Operator::RefFunc { .. }
            | Operator::MemoryInit { .. }
            | Operator::DataDrop { .. }
            | Operator::TableInit { .. }
            | Operator::ElemDrop { .. } => scanner.uses.unmovable = true,
            _ => {}
        }
        scanner.instruction(op).map_err(|e| Error::Reencode(e.to_string()))?;
    }
    Ok(scanner.uses)
}

fn body_of<'a>(module: &Module<'a>, func: u32) -> Result<FunctionBody<'a>, Error> {
    func.checked_sub(module.imported_funcs)
        .and_then(|i| module.bodies.get(i as usize))
        .cloned()
        .ok_or_else(|| missing("defined function", func))
}

#[derive(Default)]
struct Scanner {
    uses: Uses,
}

impl Reencode for Scanner {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.functions.insert(func);
        Ok(func)
    }

    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.globals.insert(global);
        Ok(global)
    }

    fn table_index(&mut self, table: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.tables.insert(table);
        Ok(table)
    }

    fn memory_index(&mut self, memory: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.memories.insert(memory);
        Ok(memory)
    }

    fn data_index(&mut self, data: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.unmovable = true;
        Ok(data)
    }

    fn element_index(&mut self, element: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.uses.unmovable = true;
        Ok(element)
    }
}

/// Where things are in the two outputs.
struct Layout<'m> {
    cold: &'m [u32],
    slot: &'m BTreeMap<u32, u32>,
    /// The moved functions the primary can still call (they get a
    /// trampoline; the others no place in the primary).
    reachable: &'m BTreeSet<u32>,
    /// The primary's function, table, global and memory each secondary
    /// import stands for, in import order within each space.
    functions: Vec<u32>,
    tables: Vec<u32>,
    globals: Vec<u32>,
    memories: Vec<u32>,
    /// The new table and globals, and the type of the `ensure` function.
    split_table: u32,
    loaded_global: u32,
    id_global: u32,
    /// The export both halves name (see [`Split::id`]).
    id: &'m str,
    /// Whether the input makes tail calls: the trampolines then make one
    /// too, so that a tail call into moved code still runs in constant
    /// stack (without, they need no tail-call support).
    tail_calls: bool,
    ensure_type: Option<u32>,
    ensure_func: u32,
    /// The primary's index of each of the input's functions: the moved
    /// functions only moved code calls are not in the primary at all.
    renumber: Vec<Option<u32>>,
}

impl<'m> Layout<'m> {
    fn new(
        module: &Module,
        cold: &'m [u32],
        slot: &'m BTreeMap<u32, u32>,
        reachable: &'m BTreeSet<u32>,
        needs: &Uses,
        tail_calls: bool,
        id: &'m str,
    ) -> Result<Self, Error> {
        let functions = needs.functions.iter().copied().filter(|f| !slot.contains_key(f)).collect();
        // Every memory (a body that calls into the primary may touch any).
        let memories = (0..count(module.memories.len())?).collect();
        let ensure_type = module
            .type_params
            .iter()
            .zip(&module.type_results)
            .position(|(p, r)| *p == 0 && *r == 0)
            .map(count)
            .transpose()?;
        let mut renumber = Vec::with_capacity(module.func_types.len());
        let mut kept = 0;
        for func in 0..module.func_count()? {
            if slot.contains_key(&func) && !reachable.contains(&func) {
                renumber.push(None);
            } else {
                renumber.push(Some(kept));
                kept += 1;
            }
        }
        Ok(Layout {
            cold,
            slot,
            reachable,
            renumber,
            functions,
            tables: needs.tables.iter().copied().collect(),
            globals: needs.globals.iter().copied().collect(),
            memories,
            split_table: count(module.tables.len())?,
            loaded_global: count(module.globals.len())?,
            id_global: count(module.globals.len() + 1)?,
            id,
            tail_calls,
            ensure_type,
            ensure_func: kept,
        })
    }

    /// The primary's index of the input's function `func`.
    fn renumbered(&self, func: u32) -> Result<u32, Error> {
        self.renumber.get(func as usize).copied().flatten().ok_or_else(|| missing("function in the primary", func))
    }

    /// The type index of `ensure` in the primary (a new type if the module
    /// has no `[] -> []` type).
    fn ensure_type(&self, module: &Module) -> Result<u32, Error> {
        match self.ensure_type {
            Some(ty) => Ok(ty),
            None => count(module.type_params.len()),
        }
    }
}

fn export_name(kind: &str, index: u32) -> String {
    format!("{EXPORT_PREFIX}{kind}{index}")
}

/// The primary: the input with moved bodies turned into trampolines, the
/// new table, global and `ensure` function, and the exports the secondary
/// imports.
fn primary(module: &Module, layout: &Layout, loader: u32) -> Result<Vec<u8>, Error> {
    let mut replaced = Vec::new();
    let ensure_type = layout.ensure_type(module)?;
    if layout.ensure_type.is_none() {
        let mut types = wasm_encoder::TypeSection::new();
        if let Some(section) = module.section(id::TYPE) {
            RoundtripReencoder.parse_type_section(&mut types, module.reader(section)?)?;
        }
        types.ty().function([], []);
        replaced.push((id::TYPE, encoded(&types)));
    }

    let mut functions = FunctionSection::new();
    for func in module.imported_funcs..module.func_count()? {
        if layout.renumbered(func).is_ok() {
            functions.function(module.func_type(func)?);
        }
    }
    functions.function(ensure_type);
    replaced.push((id::FUNCTION, encoded(&functions)));

    // Tables and globals may name functions in their initializers.
    let mut renumber = Renumber(&layout.renumber);
    let mut tables = wasm_encoder::TableSection::new();
    if let Some(section) = module.section(id::TABLE) {
        renumber
            .parse_table_section(&mut tables, module.reader(section)?)
            .map_err(|e| Error::Reencode(e.to_string()))?;
    }
    tables.table(split_table_type(layout));
    replaced.push((id::TABLE, encoded(&tables)));

    let mut globals = wasm_encoder::GlobalSection::new();
    if let Some(section) = module.section(id::GLOBAL) {
        renumber
            .parse_global_section(&mut globals, module.reader(section)?)
            .map_err(|e| Error::Reencode(e.to_string()))?;
    }
    globals.global(loaded_global_type(), &ConstExpr::i32_const(0));
    globals.global(id_global_type(), &ConstExpr::i32_const(0));
    replaced.push((id::GLOBAL, encoded(&globals)));

    let mut exports = wasm_encoder::ExportSection::new();
    for (name, kind, index) in &module.exports {
        match kind {
            ExternalKind::Func => exports.export(name, ExportKind::Func, layout.renumbered(*index)?),
            other => exports.export(name, RoundtripReencoder.export_kind(*other)?, *index),
        };
    }
    exports.export(LOADED_EXPORT, ExportKind::Global, layout.loaded_global);
    exports.export(TABLE_EXPORT, ExportKind::Table, layout.split_table);
    exports.export(layout.id, ExportKind::Global, layout.id_global);
    for f in &layout.functions {
        exports.export(&export_name("f", *f), ExportKind::Func, layout.renumbered(*f)?);
    }
    for t in &layout.tables {
        exports.export(&export_name("t", *t), ExportKind::Table, *t);
    }
    for g in &layout.globals {
        exports.export(&export_name("g", *g), ExportKind::Global, *g);
    }
    for m in &layout.memories {
        exports.export(&export_name("m", *m), ExportKind::Memory, *m);
    }
    replaced.push((id::EXPORT, encoded(&exports)));

    let mut code = wasm_encoder::CodeSection::new();
    for (i, body) in module.bodies.iter().enumerate() {
        let func = module.defined_index(i)?;
        match layout.slot.get(&func) {
            None => {
                renumber.parse_function_body(&mut code, body.clone()).map_err(|e| Error::Reencode(e.to_string()))?;
            }
            Some(_) if !layout.reachable.contains(&func) => {}
            Some(slot) => {
                let mut trampoline = Function::new([]);
                trampoline.instruction(&Instruction::Call(layout.ensure_func));
                for param in 0..module.params_of(func)? {
                    trampoline.instruction(&Instruction::LocalGet(param));
                }
                trampoline
                    .instruction(&Instruction::I32Const(i32::try_from(*slot).map_err(|_| missing("slot", *slot))?));
                let (type_index, table_index) = (module.func_type(func)?, layout.split_table);
                trampoline.instruction(&if layout.tail_calls {
                    Instruction::ReturnCallIndirect { type_index, table_index }
                } else {
                    Instruction::CallIndirect { type_index, table_index }
                });
                trampoline.instruction(&Instruction::End);
                code.function(&trampoline);
            }
        }
    }
    // ensure: if the secondary is not in yet, load it.
    let mut ensure = Function::new([]);
    ensure.instruction(&Instruction::GlobalGet(layout.loaded_global));
    ensure.instruction(&Instruction::I32Eqz);
    ensure.instruction(&Instruction::If(wasm_encoder::BlockType::Empty));
    ensure.instruction(&Instruction::Call(layout.renumbered(loader)?));
    ensure.instruction(&Instruction::End);
    ensure.instruction(&Instruction::End);
    code.function(&ensure);
    replaced.push((id::CODE, encoded(&code)));

    if let Some(section) = module.section(id::ELEMENT) {
        let mut elements = ElementSection::new();
        renumber
            .parse_element_section(&mut elements, module.reader(section)?)
            .map_err(|e| Error::Reencode(e.to_string()))?;
        replaced.push((id::ELEMENT, encoded(&elements)));
    }
    if let Some(start) = module.start {
        replaced.push((id::START, encoded(&wasm_encoder::StartSection { function_index: layout.renumbered(start)? })));
    }

    // Sections that name code offsets or function indices would be wrong
    // after the renumbering and trampolines: debug information, source
    // maps, branch hints.
    module.assemble(replaced, |name, contents| match name {
        "name" => Ok(Custom::Replace(function_names(contents, &layout.renumber)?)),
        "sourceMappingURL" | "external_debug_info" => Ok(Custom::Drop),
        _ if name.starts_with(".debug_") || name.starts_with("metadata.code.") => Ok(Custom::Drop),
        _ => Ok(Custom::Keep),
    })
}

/// The "name" section's module and function names, with the functions'
/// primary indices (names of locals and the rest are left out).
fn function_names(contents: &[u8], renumber: &[Option<u32>]) -> Result<Vec<u8>, Error> {
    let mut names = wasm_encoder::NameSection::new();
    for subsection in wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(contents, 0)) {
        match subsection? {
            wasmparser::Name::Module { name, .. } => names.module(name),
            wasmparser::Name::Function(map) => {
                let mut functions = wasm_encoder::NameMap::new();
                for naming in map {
                    let naming = naming?;
                    if let Some(Some(index)) = renumber.get(naming.index as usize) {
                        functions.append(*index, naming.name);
                    }
                }
                names.functions(&functions);
            }
            _ => {}
        }
    }
    Ok(names.as_custom().data.into_owned())
}

/// The primary's function indices (see [`Layout::renumber`]).
struct Renumber<'a>(&'a [Option<u32>]);

impl Reencode for Renumber<'_> {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.0
            .get(func as usize)
            .copied()
            .flatten()
            .ok_or_else(|| ReencodeError::UserError(format!("function {func} is not in the primary")))
    }
}

fn split_table_type(layout: &Layout) -> TableType {
    let size = layout.cold.len() as u64;
    TableType { element_type: RefType::FUNCREF, table64: false, minimum: size, maximum: Some(size), shared: false }
}

fn loaded_global_type() -> GlobalType {
    GlobalType { val_type: ValType::I32, mutable: true, shared: false }
}

fn id_global_type() -> GlobalType {
    GlobalType { val_type: ValType::I32, mutable: false, shared: false }
}

/// The secondary: the input's types, imports of what the moved bodies use,
/// the moved bodies, and an element segment that puts them in the table.
fn secondary(module: &Module, layout: &Layout) -> Result<Vec<u8>, Error> {
    let mut imports = ImportSection::new();
    let mut remap = Remap::default();
    for (i, f) in layout.functions.iter().enumerate() {
        imports.import(IMPORT_MODULE, &export_name("f", *f), EntityType::Function(module.func_type(*f)?));
        remap.functions.insert(*f, count(i)?);
    }
    let imported_funcs = count(layout.functions.len())?;
    for (slot, f) in layout.cold.iter().enumerate() {
        remap.functions.insert(*f, imported_funcs + count(slot)?);
    }
    for (i, t) in layout.tables.iter().enumerate() {
        let ty = module.tables.get(*t as usize).copied().ok_or_else(|| missing("table", *t))?;
        imports.import(IMPORT_MODULE, &export_name("t", *t), EntityType::Table(RoundtripReencoder.table_type(ty)?));
        remap.tables.insert(*t, count(i)?);
    }
    let split_table = count(layout.tables.len())?;
    imports.import(IMPORT_MODULE, TABLE_EXPORT, EntityType::Table(split_table_type(layout)));
    for (i, g) in layout.globals.iter().enumerate() {
        let ty = module.globals.get(*g as usize).copied().ok_or_else(|| missing("global", *g))?;
        imports.import(IMPORT_MODULE, &export_name("g", *g), EntityType::Global(RoundtripReencoder.global_type(ty)?));
        remap.globals.insert(*g, count(i)?);
    }
    for m in &layout.memories {
        let ty = module.memories.get(*m as usize).copied().ok_or_else(|| missing("memory", *m))?;
        imports.import(IMPORT_MODULE, &export_name("m", *m), EntityType::Memory(RoundtripReencoder.memory_type(ty)?));
    }
    // Last of the globals, so that the others keep the indices `remap`
    // gave them: a secondary of another split does not link.
    imports.import(IMPORT_MODULE, layout.id, EntityType::Global(id_global_type()));

    let mut functions = FunctionSection::new();
    for f in layout.cold {
        functions.function(module.func_type(*f)?);
    }

    let mut elements = ElementSection::new();
    let members: Vec<u32> =
        (0..layout.cold.len()).map(|slot| Ok(imported_funcs + count(slot)?)).collect::<Result<_, Error>>()?;
    elements.segment(wasm_encoder::ElementSegment {
        mode: ElementMode::Active { table: Some(split_table), offset: &ConstExpr::i32_const(0) },
        elements: Elements::Functions(members.into()),
    });

    let mut code = wasm_encoder::CodeSection::new();
    for f in layout.cold {
        let body = body_of(module, *f)?;
        remap.parse_function_body(&mut code, body).map_err(|e| Error::Reencode(e.to_string()))?;
    }

    let mut out = b"\0asm\x01\0\0\0".to_vec();
    if let Some(section) = module.section(id::TYPE) {
        out.push(id::TYPE);
        wasm_encoder::Encode::encode(module.contents(section), &mut out);
    }
    for (section_id, bytes) in [
        (id::IMPORT, encoded(&imports)),
        (id::FUNCTION, encoded(&functions)),
        (id::ELEMENT, encoded(&elements)),
        (id::CODE, encoded(&code)),
    ] {
        out.push(section_id);
        out.extend(bytes);
    }
    Ok(out)
}

/// The secondary's index of each of the primary's functions, tables and
/// globals its bodies name (memories keep their indices: all are imported
/// in order).
#[derive(Default)]
struct Remap {
    functions: BTreeMap<u32, u32>,
    tables: BTreeMap<u32, u32>,
    globals: BTreeMap<u32, u32>,
}

impl Reencode for Remap {
    type Error = String;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.functions.get(&func).copied().ok_or_else(|| ReencodeError::UserError(format!("function {func}")))
    }

    fn table_index(&mut self, table: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.tables.get(&table).copied().ok_or_else(|| ReencodeError::UserError(format!("table {table}")))
    }

    fn global_index(&mut self, global: u32) -> Result<u32, ReencodeError<Self::Error>> {
        self.globals.get(&global).copied().ok_or_else(|| ReencodeError::UserError(format!("global {global}")))
    }
}
