#include <capstone/capstone.h>
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
typedef void* (*event_callback_t)(void*, const char*, void*);
typedef int (*printf_callback_t)(void*, const char*, ...);
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
    event_callback_t event_callback, void* event_stream, printf_callback_t printf_callback, void* printf_stream,
    const char* options, int newline) {
  csh h;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) return NULL;
  cs_insn* insn;
  size_t count = cs_disasm(h, buffer, length, start_va, 0, &insn);
  for (size_t j = 0; j < count; j++) {
    if (event_callback) event_callback(event_stream, "insn", (void*)(uintptr_t)insn[j].address);
    printf_callback(printf_stream, "%s\t%s", insn[j].mnemonic, insn[j].op_str);
    if (event_callback) event_callback(event_stream, "/insn", (void*)(uintptr_t)(insn[j].address + insn[j].size));
    if (newline) printf_callback(printf_stream, "\n");
  }
  if (count) cs_free(insn, count);
  cs_close(&h);
  return (void*)(end_va);
}
