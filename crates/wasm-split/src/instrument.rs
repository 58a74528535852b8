//! The profiling copy of a module: each function marks its first call.

use wasm_encoder::{
    reencode::Reencode, reencode::RoundtripReencoder, ExportKind, Instruction, MemArg, MemArgTarget, MemoryType,
};

use crate::module::{count, id, Module};
use crate::{Error, PROFILE_EXPORT};

/// Returns a copy of `bytes` in which function *i*, when it runs, stores 1
/// at byte *i* of a new memory exported as [`PROFILE_EXPORT`]. Nothing else
/// changes: every index stays, so the profile names the input's functions.
pub fn instrument(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let module = Module::parse(bytes)?;
    let pages = u64::from(module.func_count()?).div_ceil(65_536).max(1);
    let profile_memory = count(module.memories.len())?;

    let mut memories = wasm_encoder::MemorySection::new();
    if let Some(section) = module.section(id::MEMORY) {
        RoundtripReencoder.parse_memory_section(&mut memories, module.reader(section)?)?;
    }
    memories.memory(MemoryType {
        minimum: pages,
        maximum: Some(pages),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });

    let mut exports = wasm_encoder::ExportSection::new();
    if let Some(section) = module.section(id::EXPORT) {
        RoundtripReencoder.parse_export_section(&mut exports, module.reader(section)?)?;
    }
    exports.export(PROFILE_EXPORT, ExportKind::Memory, profile_memory);

    let mut code = wasm_encoder::CodeSection::new();
    for (i, body) in module.bodies.iter().enumerate() {
        let mut function = RoundtripReencoder.new_function_with_parsed_locals(body)?;
        let mark = MemArg {
            offset: u64::from(module.defined_index(i)?),
            align: 0,
            target: MemArgTarget::Memory(profile_memory),
            ordering: None,
        };
        function.instruction(&Instruction::I32Const(0));
        function.instruction(&Instruction::I32Const(1));
        function.instruction(&Instruction::I32Store8(mark));
        let locals = body.get_binary_reader_for_operators()?.current_position();
        function.raw(body.as_bytes().get(locals..).unwrap_or_default().iter().copied());
        code.function(&function);
    }

    let out = module.assemble(
        vec![
            (id::MEMORY, crate::module::encoded(&memories)),
            (id::EXPORT, crate::module::encoded(&exports)),
            (id::CODE, crate::module::encoded(&code)),
        ],
        |_, _| Ok(crate::module::Custom::Keep),
    )?;
    // The profile's memory is a second one.
    crate::validate_like(bytes, wasmparser::WasmFeatures::MULTI_MEMORY, &out)?;
    Ok(out)
}
