"""powrprof.dll's CallNtPowerInformation: the one processor's clock, which programs that
describe the machine ask for (cmake_host_system_information)."""
from __future__ import annotations

import struct

STATUS_SUCCESS, STATUS_BUFFER_TOO_SMALL, STATUS_INVALID_PARAMETER = 0, 0xC0000023, 0xC000000D
PROCESSOR_INFORMATION = 11
PROCESSOR_MHZ = 2000        # the emulated CPU has no clock of its own to report


def sys_powrprof_CallNtPowerInformation(p, InformationLevel, InputBuffer, InputBufferLength,
                                        OutputBuffer, OutputBufferLength):
    """ProcessorInformation: a PROCESSOR_POWER_INFORMATION for the one processor (number,
    maximum, current and limit MHz, idle states); other levels are not offered."""
    if InformationLevel != PROCESSOR_INFORMATION:
        return STATUS_INVALID_PARAMETER
    data = struct.pack("<6I", 0, PROCESSOR_MHZ, PROCESSOR_MHZ, PROCESSOR_MHZ, 0, 0)
    if OutputBufferLength < len(data):
        return STATUS_BUFFER_TOO_SMALL
    p.mm.write(OutputBuffer, data)
    return STATUS_SUCCESS
